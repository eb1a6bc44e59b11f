//! Storage migrations in the real runtime, run by `pallet-migrations` over as many blocks as they
//! need (security review, finding 2): the consent index's version 1 to 2 migration over 20,000
//! index entries stays within every block's limits, admits no transactions while it runs, and
//! ends with the same index as the single-step migration would.

mod common;

use common::{check_invariants, ext_from_preset, BlockBuilder, ExecuteChecked};
use ehr_primitives::{Actions, DataCategory, Grantee, OrgId, PatientId, ProviderRole, Purposes};
use ehr_runtime::{AccountId, Balances, EhrConsent, Runtime, RuntimeOrigin};
use pallet_ehr_consent::{
	migrations::v2::{InnerMigrateV1ToV2, LazyMigrationV1ToV2, OldConsentsByGrantee},
	ConsentsByGrantee, GrantTermsOf,
};
use polkadot_sdk::{
	frame_support::{
		migrations::{MultiStepMigrator, SteppedMigration},
		storage::{with_transaction, TransactionOutcome},
		traits::{
			fungible::Mutate, GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
			UncheckedOnRuntimeUpgrade,
		},
		weights::WeightMeter,
	},
	frame_system,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_runtime::{DispatchError, ExtrinsicInclusionMode},
};

const PATIENTS: u32 = 400;
const PROVIDERS: u32 = 50;

fn test_account(tag: u8, i: u32) -> AccountId {
	let mut bytes = [tag; 32];
	bytes[..4].copy_from_slice(&i.to_le_bytes());
	AccountId::from(bytes)
}

type Index = Vec<(PatientId, Grantee<AccountId>, Vec<GrantTermsOf<Runtime>>)>;

fn index() -> Index {
	let mut index: Index = ConsentsByGrantee::<Runtime>::iter()
		.map(|(patient, grantee, terms)| (patient, grantee, terms.into_inner()))
		.collect();
	index.sort_by_key(|(patient, grantee, _)| (*patient, codec::Encode::encode(grantee)));
	index
}

/// 400 patients each grant 50 providers: 20,000 grants, 20,000 index entries.
fn seed() {
	for p in 0..PROVIDERS {
		pallet_ehr_identity::Pallet::<Runtime>::accredit_provider(
			RuntimeOrigin::root(),
			test_account(0xd0, p),
			OrgId(0),
			ProviderRole::Physician,
		)
		.expect("accredited");
	}
	for i in 0..PATIENTS {
		let controller = test_account(0xa0, i);
		Balances::mint_into(&controller, 1_000 * ehr_runtime::constants::currency::UNIT)
			.expect("funded");
		pallet_ehr_identity::Pallet::<Runtime>::register_patient(RuntimeOrigin::signed(
			controller.clone(),
		))
		.expect("registered");
		let patient =
			pallet_ehr_identity::PatientOf::<Runtime>::get(&controller).expect("a patient");
		for p in 0..PROVIDERS {
			EhrConsent::grant_consent(
				RuntimeOrigin::signed(controller.clone()),
				patient,
				Grantee::Provider(test_account(0xd0, p)),
				common::sealed(DataCategory::ALL),
				Actions::ALL,
				Purposes::ALL,
				ehr_primitives::ProviderRoles::ALL,
				0,
				None,
			)
			.expect("granted");
		}
	}
}

#[test]
fn finding_02_the_consent_migration_runs_over_many_blocks_within_limits() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		builder.build(vec![]);
		seed();
		let expected = index();
		assert_eq!(expected.len() as u32, PATIENTS * PROVIDERS);

		// Back to version 1: bare ids in the index.
		for (patient, grantee, terms) in &expected {
			let ids: Vec<_> = terms.iter().map(|t| t.id).collect();
			let ids: pallet_ehr_consent::migrations::v2::OldIndex<Runtime> =
				ids.try_into().expect("fits");
			OldConsentsByGrantee::<Runtime>::insert(patient, grantee, ids);
		}
		StorageVersion::new(1).put::<EhrConsent>();

		// The single-step migration, run and rolled back: its result is the reference, and
		// its weight is more than a whole block may use.
		let max_block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		let (single, single_weight) = with_transaction(|| {
			let weight = InnerMigrateV1ToV2::<Runtime>::on_runtime_upgrade();
			TransactionOutcome::Rollback(Ok::<_, DispatchError>((index(), weight)))
		})
		.expect("rolled back");
		assert_eq!(single, expected);
		assert!(single_weight.any_gt(max_block), "one block cannot do it: {single_weight:?}");
		assert!(OldConsentsByGrantee::<Runtime>::iter_values().count() == expected.len());

		// The upgrade: pallet-migrations takes over, a bounded step per block.
		ehr_runtime::MultiBlockMigrations::on_runtime_upgrade();
		assert!(ehr_runtime::MultiBlockMigrations::ongoing());
		let mut blocks = 0;
		while ehr_runtime::MultiBlockMigrations::ongoing() {
			builder.build(vec![]);
			blocks += 1;
			// No transactions while it runs: the node's block builder includes none, and an
			// importing node rejects a block that has any.
			if ehr_runtime::MultiBlockMigrations::ongoing() {
				assert_eq!(builder.last_mode, Some(ExtrinsicInclusionMode::OnlyInherents));
			}
			let used = frame_system::Pallet::<Runtime>::block_weight().total();
			assert!(used.all_lte(max_block), "block {blocks} used {used:?} of {max_block:?}");
			assert!(blocks < 500, "the migration does not end");
		}
		assert!(blocks > 1, "it took {blocks} block(s)");
		assert_eq!(index(), single);
		assert_eq!(EhrConsent::on_chain_storage_version(), StorageVersion::new(2));
		// Blocks admit transactions again.
		builder.build(vec![]);
		assert_eq!(builder.last_mode, Some(ExtrinsicInclusionMode::AllExtrinsics));
		check_invariants();
	});
}

/// The migration does nothing on a chain already at version 2 (every new chain).
#[test]
fn the_consent_migration_skips_a_chain_at_version_two() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		assert_eq!(EhrConsent::on_chain_storage_version(), StorageVersion::new(2));
		let mut meter = WeightMeter::new();
		assert_eq!(LazyMigrationV1ToV2::<Runtime>::step(None, &mut meter), Ok(None));
		assert_eq!(meter.consumed(), polkadot_sdk::frame_support::weights::Weight::zero());
	});
}
