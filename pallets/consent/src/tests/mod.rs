//! Tests of the consent pallet. Each runs in [`ExtBuilder::build_and_execute`], which checks the
//! storage invariants afterwards.

use crate::{mock::*, *};
use ehr_primitives::{
	testing::{patient_id, RecordingAuditSink, TestPatients, TestProviders},
	ActForError, AuditAction, AuditActor, AuditEntity, CategoryTag, DataCategory, OrgId,
	PatientRegistry,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::Pays,
		traits::{fungible::InspectHold, Consideration},
	},
	sp_runtime::{DispatchError, DispatchResult, TokenError},
};

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Laboratory and imaging, sealed with the patient's test key (padded with decoys).
fn labs() -> SealedCategories {
	ehr_primitives::testing::sealed(&patient(), &[DataCategory::Laboratory, DataCategory::Imaging])
}

fn read() -> Actions {
	Actions::from(Action::Read)
}

fn treatment() -> Purposes {
	Purposes::from(PurposeOfUse::Treatment)
}

/// Grants `grantee` reading labs and imaging for treatment from `from` to `until`, signed by
/// `by`: the call itself, for tests that expect it to fail.
fn grant_call(by: u64, grantee: Grantee<u64>, from: u64, until: Option<u64>) -> DispatchResult {
	EhrConsent::grant_consent(
		signed(by),
		patient(),
		grantee,
		labs(),
		read(),
		treatment(),
		ProviderRoles::ALL,
		from,
		until,
	)
}

/// As [`grant_call`], expecting success; returns the new id.
fn grant(by: u64, grantee: Grantee<u64>, from: u64, until: Option<u64>) -> ConsentId {
	let id = ConsentId(NextConsentId::<Test>::get());
	assert_ok!(grant_call(by, grantee, from, until));
	id
}

fn request(category: DataCategory, action: Action, purpose: PurposeOfUse) -> AccessRequest {
	AccessRequest {
		patient: patient(),
		category: ehr_primitives::testing::tag(&patient(), category),
		action,
		purpose,
	}
}

fn lab_read() -> AccessRequest {
	request(DataCategory::Laboratory, Action::Read, PurposeOfUse::Treatment)
}

/// The patient registry's error for an account that may not act for the patient.
fn not_agent(error: ActForError) -> DispatchError {
	TestPatients::agent_error(error)
}

fn denied(reason: DenialReason) -> AccessDecision<u64> {
	AccessDecision::Denied(reason)
}

fn by_grant(id: ConsentId) -> AccessDecision<u64> {
	AccessDecision::Permitted(AccessBasis::Grant(id))
}

fn held(reason: HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::EhrConsent(reason), &who)
}

#[test]
fn try_state_detects_broken_invariants() {
	ExtBuilder::build().execute_with(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		assert_ok!(EhrConsent::do_try_state());
		// A grant missing from the index the check reads.
		ConsentsByGrantee::<Test>::remove(patient(), Grantee::Provider(DOCTOR));
		assert!(EhrConsent::do_try_state().is_err());
		let terms = Consents::<Test>::get(id).unwrap().terms(id);
		ConsentsByGrantee::<Test>::insert(
			patient(),
			Grantee::Provider(DOCTOR),
			polkadot_sdk::frame_support::BoundedVec::truncate_from(vec![terms]),
		);
		assert_ok!(EhrConsent::do_try_state());
		// Index terms that differ from the grant (a revocation the index missed).
		ConsentsByGrantee::<Test>::insert(
			patient(),
			Grantee::Provider(DOCTOR),
			polkadot_sdk::frame_support::BoundedVec::truncate_from(vec![GrantTerms {
				revoked_at: Some(1),
				..terms
			}]),
		);
		assert!(EhrConsent::do_try_state().is_err());
		ConsentsByGrantee::<Test>::insert(
			patient(),
			Grantee::Provider(DOCTOR),
			polkadot_sdk::frame_support::BoundedVec::truncate_from(vec![terms]),
		);
		assert_ok!(EhrConsent::do_try_state());
		// A wrong count.
		ConsentCount::<Test>::insert(patient(), 2);
		assert!(EhrConsent::do_try_state().is_err());
		ConsentCount::<Test>::insert(patient(), 1);
		// A deposit that does not match the grants.
		grant(GUARDIAN, Grantee::Provider(NURSE), 1, None);
		assert_ok!(EhrConsent::do_try_state());
		assert_ok!(<Test as Config>::ConsentDeposit::new(
			&GUARDIAN,
			EhrConsent::consent_footprint()
		));
		assert!(EhrConsent::do_try_state().is_err());
	})
}

mod migration_v2 {
	use super::*;
	use crate::migrations::v2::{LazyMigrationV1ToV2, OldIndex};
	use polkadot_sdk::frame_support::{
		migrations::{SteppedMigration, SteppedMigrationError},
		storage::unhashed,
		traits::{GetStorageVersion, StorageVersion},
		weights::WeightMeter,
	};

	/// Runs the multi-block migration to its end, each step with the weight of one entry, as
	/// `pallet-migrations` would over as many blocks; returns the number of steps.
	fn migrate() -> u32 {
		let one = <() as WeightInfo>::migrate_v2_step();
		let mut cursor = None;
		for steps in 1..100 {
			let mut meter = WeightMeter::with_limit(one);
			cursor = LazyMigrationV1ToV2::<Test>::step(cursor, &mut meter).expect("a step");
			if cursor.is_none() {
				return steps;
			}
		}
		panic!("the migration does not end");
	}

	/// Writes the version 1 index (bare ids) for `grantee`.
	fn put_v1_index(grantee: Grantee<u64>, ids: Vec<ConsentId>) {
		let key = ConsentsByGrantee::<Test>::hashed_key_for(patient(), grantee);
		unhashed::put(&key, &OldIndex::<Test>::truncate_from(ids));
	}

	#[test]
	fn rewrites_ids_as_terms_drops_dangling_ids_and_sets_the_version() {
		ExtBuilder::build().execute_with(|| {
			let kept = grant(ALICE, Grantee::Provider(DOCTOR), 1, Some(80));
			let revoked = grant(ALICE, Grantee::Organisation(OrgId(1)), 1, None);
			go_to(3);
			assert_ok!(EhrConsent::revoke_consent(signed(ALICE), revoked));
			// The state as version 1 stored it.
			StorageVersion::new(1).put::<EhrConsent>();
			put_v1_index(Grantee::Provider(DOCTOR), vec![kept, ConsentId(99)]);
			put_v1_index(Grantee::Organisation(OrgId(1)), vec![revoked]);
			put_v1_index(Grantee::Provider(NURSE), vec![ConsentId(98)]);

			// Too little weight for one entry: an error, nothing changes.
			let mut empty = WeightMeter::with_limit(Default::default());
			assert!(matches!(
				LazyMigrationV1ToV2::<Test>::step(None, &mut empty),
				Err(SteppedMigrationError::InsufficientWeight { .. })
			));
			assert_eq!(EhrConsent::on_chain_storage_version(), StorageVersion::new(1));
			// One entry per step, then the step that finds none left.
			assert_eq!(migrate(), 4);
			assert_eq!(EhrConsent::on_chain_storage_version(), StorageVersion::new(2));
			let doctor = ConsentsByGrantee::<Test>::get(patient(), Grantee::Provider(DOCTOR));
			assert_eq!(doctor.into_inner(), vec![Consents::<Test>::get(kept).unwrap().terms(kept)]);
			let org = ConsentsByGrantee::<Test>::get(patient(), Grantee::Organisation(OrgId(1)));
			assert_eq!(org[0].revoked_at, Some(3));
			// An entry whose only grant is gone is removed.
			assert!(!ConsentsByGrantee::<Test>::contains_key(patient(), Grantee::Provider(NURSE)));
			assert_ok!(EhrConsent::do_try_state());
			assert_eq!(
				EhrConsent::check_access_at(&DOCTOR, &lab_read(), 10),
				AccessDecision::Permitted(AccessBasis::Grant(kept))
			);

			// Run again, it does nothing: the on-chain version is already 2.
			let before = ConsentsByGrantee::<Test>::iter().collect::<Vec<_>>();
			assert_eq!(migrate(), 1);
			assert_eq!(ConsentsByGrantee::<Test>::iter().collect::<Vec<_>>(), before);
		})
	}
}

mod emergency;
mod grant;
mod revoke_and_reap;
mod security;
