//! Test helpers that drive the real runtime: genesis from the presets, blocks built through
//! `Executive` with the same inherents a collator provides, and signed extrinsics.
#![allow(dead_code)]

use codec::Encode;
use ehr_runtime::{
	constants::time::SLOT_DURATION, genesis_config_presets, AccountId, Block, Executive, Header,
	ParachainSystem, Runtime, RuntimeCall, RuntimeGenesisConfig, Timestamp, TxExtension,
	UncheckedExtrinsic,
};
use polkadot_sdk::{
	cumulus_pallet_weight_reclaim::StorageWeightReclaim,
	cumulus_primitives_core::{relay_chain::HeadData, PersistedValidationData},
	cumulus_primitives_parachain_inherent::{ParachainInherentData, INHERENT_IDENTIFIER},
	cumulus_test_relay_sproof_builder::RelayStateSproofBuilder,
	frame_metadata_hash_extension::CheckMetadataHash,
	frame_support::inherent::ProvideInherent,
	frame_system, pallet_transaction_payment,
	sc_chain_spec::json_merge,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		generic::{Era, SignedPayload},
		traits::Header as _,
		BuildStorage, Digest, DigestItem,
	},
};

/// Genesis storage built from a named preset, the way the chain-spec builder does it: the
/// preset's JSON patch merged over the default genesis config.
pub fn ext_from_preset(preset: &str) -> TestExternalities {
	TestExternalities::new(storage_from_preset(preset))
}

/// The genesis storage of a named preset (see [`ext_from_preset`]).
pub fn storage_from_preset(preset: &str) -> polkadot_sdk::sp_runtime::Storage {
	let patch = genesis_config_presets::get_preset(&preset.into())
		.unwrap_or_else(|| panic!("preset {preset} exists"));
	let patch: serde_json::Value = serde_json::from_slice(&patch).expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serialises");
	json_merge(&mut config, patch);
	let config: RuntimeGenesisConfig =
		serde_json::from_value(config).expect("preset patch matches the genesis config");
	config.build_storage().expect("genesis builds")
}

/// A signed transaction with every transaction extension set as a wallet would set it.
pub fn signed(call: RuntimeCall, signer: Sr25519Keyring, nonce: u32) -> UncheckedExtrinsic {
	let tx_ext: TxExtension = StorageWeightReclaim::new((
		frame_system::AuthorizeCall::new(),
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		CheckMetadataHash::new(false),
	));
	let payload = SignedPayload::new(call, tx_ext).expect("implicit data is available");
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let (call, tx_ext, _) = payload.deconstruct();
	UncheckedExtrinsic::new_signed(call, signer.to_account_id().into(), signature.into(), tx_ext)
}

/// Builds blocks on top of the externalities' state like a collator does: Aura pre-digest,
/// timestamp and parachain validation-data inherents, then the given extrinsics.
pub struct BlockBuilder {
	pub parent: Header,
	/// The first slot; block `n` is authored in slot `first_slot + n`.
	pub first_slot: u64,
	/// The relay chain's go-ahead for a scheduled code upgrade, sent with the next block.
	pub upgrade_go_ahead:
		Option<polkadot_sdk::cumulus_primitives_core::relay_chain::UpgradeGoAhead>,
	/// What `initialize_block` said of the last block: whether it admits transactions (not
	/// while a multi-block migration runs). A node's block builder includes none otherwise.
	pub last_mode: Option<polkadot_sdk::sp_runtime::ExtrinsicInclusionMode>,
	/// How many parachain blocks share one relay-chain block: 1 (the default) makes the relay
	/// parent's number equal the parachain block's number, so periods in tests read as block
	/// numbers; more models faster parachain blocks (elastic scaling), whose relay parent
	/// advances once every so many blocks.
	pub para_blocks_per_relay_block: u32,
}

impl Default for BlockBuilder {
	fn default() -> Self {
		// A slot well after the Unix epoch, so timestamps look real.
		let genesis = Header::new(
			0,
			Default::default(),
			Default::default(),
			Default::default(),
			Default::default(),
		);
		Self {
			parent: genesis,
			first_slot: 295_000_000,
			upgrade_go_ahead: None,
			last_mode: None,
			para_blocks_per_relay_block: 1,
		}
	}
}

impl BlockBuilder {
	/// Makes the next block number `number` (and its slot and relay parent follow), as if the
	/// blocks between had been empty: for waiting out periods of many days.
	pub fn skip_to(&mut self, number: u32) {
		assert!(number > self.parent.number + 1, "skip_to goes forward");
		let parent = Header::new(
			number - 1,
			Default::default(),
			Default::default(),
			self.parent.hash(),
			Default::default(),
		);
		frame_system::BlockHash::<Runtime>::insert(number - 1, parent.hash());
		frame_system::Pallet::<Runtime>::set_block_number(number - 1);
		self.parent = parent;
	}

	/// The relay parent's number of parachain block `number`: the EHR pallets' clock in it.
	pub fn relay_number(&self, number: u32) -> u32 {
		number.div_ceil(self.para_blocks_per_relay_block.max(1))
	}

	/// Builds, applies and finalises the next block; returns it with the result of each of
	/// `extrinsics` (inherents are asserted to succeed).
	pub fn build(
		&mut self,
		extrinsics: Vec<UncheckedExtrinsic>,
	) -> (Block, Vec<polkadot_sdk::sp_runtime::ApplyExtrinsicResult>) {
		self.build_observed(extrinsics, |_| {})
	}

	/// [`build`](Self::build), telling `observe` before and after each of `extrinsics` is
	/// applied (the fuzzer measures each one's proof and time, and checks the block's limits).
	pub fn build_observed(
		&mut self,
		extrinsics: Vec<UncheckedExtrinsic>,
		mut observe: impl FnMut(Applying<'_>),
	) -> (Block, Vec<polkadot_sdk::sp_runtime::ApplyExtrinsicResult>) {
		let number = self.parent.number + 1;
		let slot = self.first_slot + u64::from(number);
		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(slot).encode())],
		};
		let header = Header::new(
			number,
			Default::default(),
			Default::default(),
			// Block 1 builds on the genesis hash the chain stored; later blocks on their parent.
			if number == 1 {
				frame_system::BlockHash::<Runtime>::get(0)
			} else {
				self.parent.hash()
			},
			digest,
		);
		self.last_mode = Some(Executive::initialize_block(&header));

		// The relay parent advances one relay block per `para_blocks_per_relay_block` parachain
		// blocks; the slot advances with every block.
		let para_id = ehr_runtime::ParachainInfo::parachain_id();
		let mut sproof = RelayStateSproofBuilder { para_id, ..Default::default() };
		sproof.current_slot = Slot::from(slot);
		sproof.included_para_head = Some(HeadData(self.parent.encode()));
		sproof.upgrade_go_ahead = self.upgrade_go_ahead.take();
		let (relay_parent_storage_root, relay_chain_state) = sproof.into_state_root_and_proof();
		let para_inherent = ParachainInherentData {
			validation_data: PersistedValidationData {
				parent_head: HeadData(self.parent.encode()),
				relay_parent_number: self.relay_number(number),
				relay_parent_storage_root,
				max_pov_size: 5 * 1024 * 1024,
			},
			relay_chain_state,
			downward_messages: vec![],
			horizontal_messages: Default::default(),
			relay_parent_descendants: vec![],
			collator_peer_id: None,
		};
		let mut data = polkadot_sdk::sp_inherents::InherentData::new();
		data.put_data(polkadot_sdk::sp_timestamp::INHERENT_IDENTIFIER, &(slot * SLOT_DURATION))
			.expect("timestamp inherent");
		data.put_data(INHERENT_IDENTIFIER, &para_inherent).expect("parachain inherent");
		// The same inherents, created by the same pallets, as the runtime's `inherent_extrinsics`.
		let inherents = [
			RuntimeCall::Timestamp(Timestamp::create_inherent(&data).expect("timestamp inherent")),
			RuntimeCall::ParachainSystem(
				ParachainSystem::create_inherent(&data).expect("validation-data inherent"),
			),
		]
		.map(UncheckedExtrinsic::new_bare);

		let mut body = Vec::new();
		for xt in inherents {
			let applied = Executive::apply_extrinsic(xt.clone());
			assert!(matches!(applied, Ok(Ok(()))), "inherent failed: {applied:?}");
			body.push(xt);
		}
		let mut results = Vec::new();
		for xt in extrinsics {
			// Like the node's block builder: each extrinsic runs in a storage transaction that is
			// rolled back when the extrinsic is invalid, so it leaves no trace in the block.
			polkadot_sdk::sp_io::storage::start_transaction();
			observe(Applying::Before(&xt));
			let applied = Executive::apply_extrinsic(xt.clone());
			observe(Applying::After(&xt, &applied));
			if applied.is_ok() {
				polkadot_sdk::sp_io::storage::commit_transaction();
				body.push(xt);
			} else {
				polkadot_sdk::sp_io::storage::rollback_transaction();
			}
			results.push(applied);
		}
		let header = Executive::finalize_block();
		self.parent = header.clone();
		(Block { header, extrinsics: body }, results)
	}
}

/// What [`BlockBuilder::build_observed`] tells its observer.
pub enum Applying<'a> {
	/// The extrinsic is about to be applied.
	Before(&'a UncheckedExtrinsic),
	/// It was applied (or refused) with this result; a refused one is rolled back next.
	After(&'a UncheckedExtrinsic, &'a polkadot_sdk::sp_runtime::ApplyExtrinsicResult),
}

/// The account of a dev key.
pub fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

/// `call` wrapped in `sudo.sudo`.
pub fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(polkadot_sdk::pallet_sudo::Call::sudo { call: Box::new(call) })
}

/// The first block of the EHR flows: Charlie (nonce 0) registers a patient identity. The
/// development preset already has organisation 0 (admin Dave) with Bob accredited as its
/// physician.
pub fn register_charlie() -> Vec<UncheckedExtrinsic> {
	vec![signed(
		RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::register_patient {}),
		Sr25519Keyring::Charlie,
		0,
	)]
}

/// The patient registered in this block (from its `PatientRegistered` event).
pub fn registered_patient() -> ehr_primitives::PatientId {
	frame_system::Pallet::<Runtime>::events()
		.into_iter()
		.find_map(|record| match record.event {
			ehr_runtime::RuntimeEvent::EhrIdentity(
				pallet_ehr_identity::Event::PatientRegistered { patient, .. },
			) => Some(patient),
			_ => None,
		})
		.expect("a patient was registered")
}

/// The host functions of the node's WASM executor.
pub type HostFunctions = (
	polkadot_sdk::sp_io::SubstrateHostFunctions,
	polkadot_sdk::cumulus_primitives_proof_size_hostfunction::storage_proof_size::HostFunctions,
);

/// The WASM executor the node uses.
pub fn wasm_executor() -> polkadot_sdk::sc_executor::WasmExecutor<HostFunctions> {
	polkadot_sdk::sc_executor::WasmExecutor::builder().build()
}

/// Runs `f` with the runtime's compiled WASM blob as the executor's `RuntimeCode`.
pub fn with_runtime_code<R>(f: impl FnOnce(&polkadot_sdk::sp_core::traits::RuntimeCode) -> R) -> R {
	use polkadot_sdk::sp_core::traits::{RuntimeCode, WrappedRuntimeCode};
	let wasm = ehr_runtime::WASM_BINARY.expect("the runtime was built with its WASM blob");
	let code = WrappedRuntimeCode(wasm.into());
	f(&RuntimeCode {
		code_fetcher: &code,
		heap_pages: None,
		hash: polkadot_sdk::sp_crypto_hashing::blake2_256(wasm).to_vec(),
	})
}

/// Lets `ext` read the version of a runtime blob (`sp_io::misc::runtime_version`, which
/// `system.setCode` and `applyAuthorizedUpgrade` use) with the node's WASM executor.
pub fn register_wasm_executor(ext: &mut TestExternalities) {
	use polkadot_sdk::sp_core::traits::ReadRuntimeVersionExt;
	ext.register_extension(ReadRuntimeVersionExt::new(wasm_executor()));
}

/// Calls a runtime API function of the compiled WASM blob in the real WASM executor (the one the
/// node uses) on `ext`'s state, and returns its SCALE-encoded result.
pub fn wasm_call_raw(ext: &mut TestExternalities, method: &str, input: &[u8]) -> Vec<u8> {
	use polkadot_sdk::sp_core::traits::{CallContext, CodeExecutor};
	let (result, _) = with_runtime_code(|code| {
		wasm_executor().call(&mut ext.ext(), code, method, input, CallContext::Offchain)
	});
	result.unwrap_or_else(|e| panic!("{method} failed in WASM: {e}"))
}

/// Checks the storage invariants of the chain after a test: `do_try_state` of every EHR pallet
/// (as `try_state` does on a live chain), that the total issuance is the sum of all accounts'
/// balances, and that no account holds more than it has reserved. Built with the `try-runtime`
/// feature it also runs `try_state` of every pallet of the runtime (`AllPalletsWithSystem`).
pub fn check_invariants() {
	use polkadot_sdk::pallet_balances;
	pallet_ehr_identity::Pallet::<Runtime>::do_try_state().expect("identity invariants hold");
	pallet_ehr_consent::Pallet::<Runtime>::do_try_state().expect("consent invariants hold");
	pallet_ehr_audit::Pallet::<Runtime>::do_try_state().expect("audit invariants hold");
	pallet_ehr_records::Pallet::<Runtime>::do_try_state().expect("records invariants hold");
	pallet_ehr_sponsor::Pallet::<Runtime>::do_try_state().expect("no sponsor is left set");
	pallet_ehr_governance::Pallet::<Runtime>::do_try_state().expect("governance invariants hold");

	let mut sum: u128 = 0;
	for (who, account) in frame_system::Account::<Runtime>::iter() {
		let data = account.data;
		sum = sum.saturating_add(data.free).saturating_add(data.reserved);
		let held: u128 = pallet_balances::Holds::<Runtime>::get(&who)
			.iter()
			.map(|hold| hold.amount)
			.fold(0, |a, b| a.saturating_add(b));
		assert!(held <= data.reserved, "{who}: holds {held} exceed reserved {}", data.reserved);
	}
	assert_eq!(
		pallet_balances::TotalIssuance::<Runtime>::get(),
		sum,
		"total issuance is the sum of all balances"
	);

	#[cfg(feature = "try-runtime")]
	{
		use polkadot_sdk::frame_support::traits::{TryState, TryStateSelect};
		let now = frame_system::Pallet::<Runtime>::block_number();
		<ehr_runtime::AllPalletsWithSystem as TryState<_>>::try_state(now, TryStateSelect::All)
			.expect("try_state of every pallet holds");
	}
}

/// Test externalities that check the chain's invariants ([`check_invariants`]) after the test
/// body, so no runtime test ends on a broken state unnoticed.
pub trait ExecuteChecked {
	fn execute_checked<R>(&mut self, f: impl FnOnce() -> R) -> R;
}

impl ExecuteChecked for TestExternalities {
	fn execute_checked<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.execute_with(|| {
			let result = f();
			check_invariants();
			result
		})
	}
}

/// The category key the runtime tests seal categories with. A real patient's app draws its
/// key at random and shares it only with its grantees (docs/privacy.md).
pub const CATEGORY_KEY: ehr_primitives::sealing::CategoryKey = [42; 32];

/// The tag of `category` under [`CATEGORY_KEY`], epoch 0.
pub fn tag(category: ehr_primitives::DataCategory) -> ehr_primitives::CategoryTag {
	ehr_primitives::sealing::seal(&CATEGORY_KEY, 0, category)
}

/// The sealed set of `categories` under [`CATEGORY_KEY`], epoch 0, padded with decoys.
pub fn sealed(categories: &[ehr_primitives::DataCategory]) -> ehr_primitives::SealedCategories {
	ehr_primitives::sealing::seal_set(&CATEGORY_KEY, 0, categories, &[0; 32])
}
