//! Runtime integration tests: genesis from each preset, then blocks with real inherents and
//! signed extrinsics applied through `Executive`, and re-executed on a second node's state
//! exactly as an importing node would.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod common;

use common::{account, ext_from_preset, signed, BlockBuilder, ExecuteChecked};
use ehr_runtime::{
	genesis_config_presets::DEV_ENDOWMENT, Balances, EhrAudit, EhrConsent, EhrIdentity, EhrRecords,
	Executive, Runtime, RuntimeCall, RuntimeEvent, System,
};
use polkadot_sdk::{
	frame_system, pallet_balances,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave},
	sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError},
};

const PRESETS: [&str; 2] = [DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET];

fn transfer(to: polkadot_sdk::sp_keyring::Sr25519Keyring, amount: u128) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: account(to).into(),
		value: amount,
	})
}

#[test]
fn presets_build_a_genesis_with_collators_council_and_a_sample_organisation() {
	use ehr_primitives::{OrgId, ProviderRegistry, ProviderRole};
	// (preset, collators, sudo key)
	for (preset, collators, sudo) in [
		(DEV_RUNTIME_PRESET, vec![account(Alice)], Some(account(Alice))),
		(LOCAL_TESTNET_RUNTIME_PRESET, vec![account(Alice), account(Bob)], None),
	] {
		ext_from_preset(preset).execute_checked(|| {
			assert_eq!(Balances::free_balance(account(Alice)), DEV_ENDOWMENT, "{preset}");
			// Invulnerables are kept sorted.
			let mut collators = collators.clone();
			collators.sort();
			assert_eq!(
				polkadot_sdk::pallet_collator_selection::Invulnerables::<Runtime>::get().to_vec(),
				collators,
				"{preset}"
			);
			assert_eq!(
				polkadot_sdk::pallet_aura::Authorities::<Runtime>::get().len(),
				collators.len(),
				"{preset}"
			);
			assert_eq!(ehr_runtime::ParachainInfo::parachain_id(), 1000.into());
			assert_eq!(polkadot_sdk::pallet_sudo::Key::<Runtime>::get(), sudo, "{preset}");
			// The membership feeds the council: both hold Alice, Bob and Charlie.
			let mut council = vec![account(Alice), account(Bob), account(Charlie)];
			council.sort();
			assert_eq!(
				polkadot_sdk::pallet_membership::Members::<
					Runtime,
					polkadot_sdk::pallet_membership::Instance1,
				>::get()
				.to_vec(),
				council,
				"{preset}"
			);
			assert_eq!(
				polkadot_sdk::pallet_collective::Members::<
					Runtime,
					polkadot_sdk::pallet_collective::Instance1,
				>::get(),
				council,
				"{preset}"
			);
			// Organisation 0 (admin Dave) with Bob as an accredited physician.
			assert_eq!(
				pallet_ehr_identity::Organisations::<Runtime>::get(OrgId(0)).and_then(|o| o.admin),
				Some(account(Dave)),
				"{preset}"
			);
			let bob = EhrIdentity::active_provider(&account(Bob)).expect("accredited");
			assert_eq!((bob.organisation, bob.role), (OrgId(0), ProviderRole::Physician));
			// No open candidacy: the collators are the invulnerables only.
			assert_eq!(
				polkadot_sdk::pallet_collator_selection::CandidateList::<Runtime>::get().len(),
				0
			);
		});
	}
}

#[test]
fn a_new_chain_starts_every_ehr_pallet_at_its_in_code_storage_version() {
	use polkadot_sdk::frame_support::traits::GetStorageVersion;
	for preset in ["development", "local_testnet"] {
		ext_from_preset(preset).execute_checked(|| {
			for (pallet, on_chain, in_code) in [
				(
					"identity",
					EhrIdentity::on_chain_storage_version(),
					EhrIdentity::in_code_storage_version(),
				),
				(
					"consent",
					EhrConsent::on_chain_storage_version(),
					EhrConsent::in_code_storage_version(),
				),
				(
					"audit",
					EhrAudit::on_chain_storage_version(),
					EhrAudit::in_code_storage_version(),
				),
				(
					"records",
					EhrRecords::on_chain_storage_version(),
					EhrRecords::in_code_storage_version(),
				),
			] {
				assert_eq!(on_chain, in_code, "{preset}: {pallet}");
			}
			// Version 3 of the consent pallet keeps grants whole per patient and grantee: a new
			// chain starts there and needs no migration.
			assert_eq!(EhrConsent::on_chain_storage_version(), 3);
		});
	}
}

#[test]
fn unknown_preset_is_none() {
	assert!(ehr_runtime::genesis_config_presets::get_preset(&"no-such-preset".into()).is_none());
	assert_eq!(ehr_runtime::genesis_config_presets::preset_names().len(), 2);
}

#[test]
fn blocks_with_a_signed_transfer_execute_through_executive() {
	for preset in PRESETS {
		let mut builder = BlockBuilder::default();
		let mut blocks = Vec::new();
		let amount = 5_000_000_000_000u128;

		ext_from_preset(preset).execute_checked(|| {
			let bob_before = Balances::free_balance(account(Bob));
			let (block, _) = builder.build(vec![]);
			blocks.push(block);

			let (block, results) = builder.build(vec![
				signed(transfer(Bob, amount), Alice, 0),
				// Replaying nonce 0 is rejected, and not included.
				signed(transfer(Charlie, amount), Alice, 0),
			]);
			assert_eq!(results[0], Ok(Ok(())), "{preset}: the transfer is applied");
			assert_eq!(
				results[1],
				Err(TransactionValidityError::Invalid(InvalidTransaction::Stale)),
				"{preset}: a replayed nonce is stale"
			);
			assert_eq!(block.extrinsics.len(), 3, "{preset}: two inherents and the transfer");
			System::assert_has_event(RuntimeEvent::Balances(pallet_balances::Event::Transfer {
				from: account(Alice),
				to: account(Bob),
				amount,
			}));
			assert_eq!(Balances::free_balance(account(Bob)), bob_before + amount);
			assert_eq!(frame_system::Pallet::<Runtime>::account_nonce(account(Alice)), 1);
			blocks.push(block);

			let (block, results) = builder.build(vec![signed(transfer(Charlie, amount), Alice, 1)]);
			assert_eq!(results[0], Ok(Ok(())));
			blocks.push(block);
			assert_eq!(System::block_number(), 3);
		});

		// An importing node starts from the same genesis and must reach the same state roots.
		ext_from_preset(preset).execute_checked(|| {
			for block in blocks {
				Executive::execute_block(block.into());
			}
			assert_eq!(System::block_number(), 3);
			assert_eq!(Balances::free_balance(account(Bob)), DEV_ENDOWMENT + amount);
		});
	}
}

#[test]
fn a_transaction_with_a_bad_signature_is_rejected() {
	use polkadot_sdk::sp_runtime::generic::Preamble;
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		builder.build(vec![]);
		// Bob signs a payload, but the extrinsic claims Alice as its signer.
		let Preamble::Signed(_, bobs_signature, tx_ext) =
			signed(transfer(Charlie, 1_000_000_000_000), Bob, 0).preamble
		else {
			panic!("signed() builds signed extrinsics")
		};
		let forged = ehr_runtime::UncheckedExtrinsic::new_signed(
			transfer(Charlie, 1_000_000_000_000),
			account(Alice).into(),
			bobs_signature,
			tx_ext,
		);
		let (block, results) = builder.build(vec![forged]);
		assert_eq!(
			results[0],
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
		assert_eq!(block.extrinsics.len(), 2, "only the inherents are included");
	});
}
