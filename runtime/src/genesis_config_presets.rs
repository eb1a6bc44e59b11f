//! Genesis presets: `development` (one collator, a council of three, Alice as sudo, a sample
//! organisation with a provider) and `local_testnet` (two collators, the same council, no sudo).
//! The node builds its built-in chain specs from these; `ehr-node chain-spec-builder` lists them
//! and uses them too. A consortium's own chain spec is patched over the default genesis by
//! `scripts/consortium-spec.py`, with the same shape as [`genesis`] writes.

use crate::{
	constants::{chain_properties::DEV_PARA_ID, currency::UNIT},
	AccountId, BalancesConfig, CollatorSelectionConfig, CouncilMembershipConfig, EhrIdentityConfig,
	ParachainInfoConfig, PolkadotXcmConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	SudoConfig,
};
use alloc::{vec, vec::Vec};
use ehr_primitives::{OrgId, ProviderRole};
use polkadot_sdk::{
	cumulus_primitives_core::ParaId,
	frame_support::{build_struct_json_patch, BoundedVec},
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
	staging_xcm as xcm,
};

/// The XCM version assumed for destinations that have not told theirs.
const SAFE_XCM_VERSION: u32 = xcm::prelude::XCM_VERSION;

/// What each endowed development account starts with.
pub const DEV_ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// The genesis of a chain: who collates, who governs, who is funded, who is accredited.
struct Genesis {
	/// Collators (invulnerables) and their Aura keys.
	collators: Vec<(AccountId, AuraId)>,
	/// Accounts funded with [`DEV_ENDOWMENT`].
	endowed: Vec<AccountId>,
	/// The council: member organisations' governance accounts.
	council: Vec<AccountId>,
	/// The sudo key, or `None` for a chain governed by its council only.
	sudo: Option<AccountId>,
	/// Admin accounts of the organisations registered at genesis (ids 0, 1, … in this order).
	organisations: Vec<AccountId>,
	/// Providers accredited at genesis.
	providers: Vec<(AccountId, OrgId, ProviderRole)>,
	para_id: ParaId,
}

fn genesis(g: Genesis) -> serde_json::Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: g.endowed.into_iter().map(|account| (account, DEV_ENDOWMENT)).collect(),
		},
		parachain_info: ParachainInfoConfig { parachain_id: g.para_id },
		collator_selection: CollatorSelectionConfig {
			invulnerables: g.collators.iter().map(|(account, _)| account.clone()).collect(),
		},
		session: SessionConfig {
			keys: g
				.collators
				.into_iter()
				.map(|(account, aura)| (account.clone(), account, SessionKeys { aura }))
				.collect(),
		},
		// The membership's genesis members become the council (`MembershipInitialized`).
		council_membership: CouncilMembershipConfig {
			members: BoundedVec::truncate_from(g.council),
		},
		ehr_identity: EhrIdentityConfig { organisations: g.organisations, providers: g.providers },
		polkadot_xcm: PolkadotXcmConfig { safe_xcm_version: Some(SAFE_XCM_VERSION) },
		sudo: SudoConfig { key: g.sudo },
	})
}

fn collator(keyring: Sr25519Keyring) -> (AccountId, AuraId) {
	(keyring.to_account_id(), keyring.public().into())
}

fn accounts<const N: usize>(keys: [Sr25519Keyring; N]) -> Vec<AccountId> {
	keys.iter().map(|k| k.to_account_id()).collect()
}

/// A development chain with the given collators and sudo key: the well-known dev accounts are
/// endowed, Alice, Bob and Charlie are the council, and organisation 0 has Dave as admin and Bob
/// as an accredited physician.
fn dev_chain(collators: Vec<(AccountId, AuraId)>, sudo: Option<AccountId>) -> serde_json::Value {
	use Sr25519Keyring::*;
	genesis(Genesis {
		collators,
		endowed: Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		council: accounts([Alice, Bob, Charlie]),
		sudo,
		organisations: accounts([Dave]),
		providers: vec![(Bob.to_account_id(), OrgId(0), ProviderRole::Physician)],
		para_id: ParaId::new(DEV_PARA_ID),
	})
}

/// One collator (Alice); Alice is sudo.
fn development() -> serde_json::Value {
	use Sr25519Keyring::Alice;
	dev_chain(vec![collator(Alice)], Some(Alice.to_account_id()))
}

/// Two collators (Alice and Bob); no sudo: the council governs.
fn local_testnet() -> serde_json::Value {
	use Sr25519Keyring::{Alice, Bob};
	dev_chain(vec![collator(Alice), collator(Bob)], None)
}

/// The JSON patch of the named preset, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => development(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}
