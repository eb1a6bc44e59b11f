//! Tests of the consent pallet. Each runs in [`ExtBuilder::build_and_execute`], which checks the
//! storage invariants afterwards.

use crate::{mock::*, *};
use ehr_primitives::{
	testing::{patient_id, RecordingAuditSink, TestPatients, TestProviders},
	AuditAction, AuditActor, AuditEntity, OrgId,
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

fn labs() -> DataCategories {
	DataCategories::of(&[DataCategory::Laboratory, DataCategory::Imaging])
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
	AccessRequest { patient: patient(), category, action, purpose }
}

fn lab_read() -> AccessRequest {
	request(DataCategory::Laboratory, Action::Read, PurposeOfUse::Treatment)
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
fn grant_then_check_permits_only_the_scope() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		System::assert_has_event(
			Event::ConsentGranted {
				consent_id: id,
				patient: patient(),
				grantee: Grantee::Provider(DOCTOR),
				granted_by: ALICE,
			}
			.into(),
		);
		assert_eq!(
			held(HoldReason::ConsentDeposit, ALICE),
			10 + EhrConsent::consent_footprint().size
		);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		let imaging = request(DataCategory::Imaging, Action::Read, PurposeOfUse::Treatment);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &imaging), by_grant(id));
		// Outside the scope: another category, another action, another purpose.
		for other in [
			request(DataCategory::Genomics, Action::Read, PurposeOfUse::Treatment),
			request(DataCategory::Laboratory, Action::Write, PurposeOfUse::Treatment),
			request(DataCategory::Laboratory, Action::Read, PurposeOfUse::Research),
		] {
			assert_eq!(EhrConsent::check_access(&DOCTOR, &other), denied(DenialReason::OutOfScope));
		}
		// Another provider of the same organisation holds nothing.
		assert_eq!(EhrConsent::check_access(&NURSE, &lab_read()), denied(DenialReason::NoConsent));
		assert_eq!(
			EhrConsent::check_access(&STRANGER, &lab_read()),
			denied(DenialReason::NotAccredited)
		);
		let unknown = AccessRequest { patient: patient_id(9), ..lab_read() };
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &unknown),
			denied(DenialReason::UnknownPatient)
		);
		assert_eq!(
			RecordingAuditSink::take()
				.into_iter()
				.map(|e| (e.action, e.entity))
				.collect::<Vec<_>>(),
			vec![(AuditAction::ConsentGranted, AuditEntity::Consent(id))]
		);
	})
}

#[test]
fn organisation_grant_covers_its_providers_only() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Organisation(OrgId(1)), 1, None);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		assert_eq!(EhrConsent::check_access(&NURSE, &lab_read()), by_grant(id));
		assert_eq!(
			EhrConsent::check_access(&OTHER_DOCTOR, &lab_read()),
			denied(DenialReason::NoConsent)
		);
	})
}

#[test]
fn validity_boundaries_are_inclusive() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 5, Some(10));
		let at = |n| EhrConsent::check_access_at(&DOCTOR, &lab_read(), n);
		assert_eq!(at(4), denied(DenialReason::ConsentNotYetValid));
		assert_eq!(at(5), by_grant(id));
		assert_eq!(at(10), by_grant(id));
		assert_eq!(at(11), denied(DenialReason::ConsentExpired));
		// The same answers at the current block as the chain moves.
		go_to(10);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		go_to(11);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::ConsentExpired)
		);
	})
}

#[test]
fn revocation_takes_effect_in_the_same_block_and_keeps_history() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		go_to(7);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		let info = EhrConsent::revoke_consent(signed(ALICE), id).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		System::assert_has_event(
			Event::ConsentRevoked { consent_id: id, patient: patient(), revoked_by: ALICE }.into(),
		);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::ConsentRevoked)
		);
		// Audits can still ask about earlier blocks.
		assert_eq!(EhrConsent::check_access_at(&DOCTOR, &lab_read(), 6), by_grant(id));
		assert_eq!(Consents::<Test>::get(id).unwrap().revoked_at, Some(7));
	})
}

#[test]
fn a_valid_grant_wins_over_ended_ones() {
	ExtBuilder::build_and_execute(|| {
		let old = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		assert_ok!(EhrConsent::revoke_consent(signed(ALICE), old));
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::ConsentRevoked)
		);
		let new = grant(ALICE, Grantee::Organisation(OrgId(1)), 1, None);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(new));
	})
}

#[test]
fn guardian_acts_until_its_term_ends() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(GUARDIAN, Grantee::Provider(DOCTOR), 1, None);
		assert_eq!(
			held(HoldReason::ConsentDeposit, GUARDIAN),
			10 + EhrConsent::consent_footprint().size
		);
		go_to(GUARDIAN_UNTIL);
		assert_noop!(
			grant_call(GUARDIAN, Grantee::Provider(DOCTOR), 1, None),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			EhrConsent::revoke_consent(signed(GUARDIAN), id),
			Error::<Test>::NotAuthorized
		);
		// The controller revokes instead; anyone reaps and the guardian gets its deposit back.
		assert_ok!(EhrConsent::revoke_consent(signed(ALICE), id));
		assert_ok!(EhrConsent::reap_consent(signed(STRANGER), id));
		assert_eq!(held(HoldReason::ConsentDeposit, GUARDIAN), 0);
	})
}

#[test]
fn suspended_provider_is_denied() {
	ExtBuilder::build_and_execute(|| {
		grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		TestProviders::suspend(DOCTOR);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::NotAccredited)
		);
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [1; 32]),
			Error::<Test>::NotAccredited
		);
	})
}

#[test]
fn closed_identity_stops_every_grant_and_frees_them() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		go_to(8);
		assert_noop!(EhrConsent::reap_consent(signed(STRANGER), id), Error::<Test>::NotEnded);
		TestPatients::close(patient(), 8);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::PatientClosed)
		);
		assert_eq!(EhrConsent::check_access_at(&DOCTOR, &lab_read(), 7), by_grant(id));
		assert_noop!(EhrConsent::revoke_consent(signed(ALICE), id), Error::<Test>::PatientClosed);
		assert_ok!(EhrConsent::reap_consent(signed(STRANGER), id));
		System::assert_has_event(
			Event::ConsentReaped { consent_id: id, patient: patient() }.into(),
		);
		assert_eq!(held(HoldReason::ConsentDeposit, ALICE), 0);
		assert_eq!(ConsentCount::<Test>::get(patient()), 0);
		assert!(!ConsentsByGrantee::<Test>::contains_key(patient(), Grantee::Provider(DOCTOR)));
	})
}

#[test]
fn reaping_expired_and_revoked_grants() {
	ExtBuilder::build_and_execute(|| {
		let expiring = grant(ALICE, Grantee::Provider(DOCTOR), 1, Some(5));
		let revoked = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		let kept = grant(ALICE, Grantee::Provider(NURSE), 1, None);
		assert_noop!(EhrConsent::reap_consent(signed(STRANGER), expiring), Error::<Test>::NotEnded);
		go_to(6);
		assert_ok!(EhrConsent::reap_consent(signed(STRANGER), expiring));
		assert_ok!(EhrConsent::revoke_consent(signed(ALICE), revoked));
		assert_ok!(EhrConsent::reap_consent(signed(STRANGER), revoked));
		assert_eq!(ConsentCount::<Test>::get(patient()), 1);
		assert!(Consents::<Test>::contains_key(kept));
		assert_eq!(
			held(HoldReason::ConsentDeposit, ALICE),
			10 + EhrConsent::consent_footprint().size
		);
		let audit: Vec<_> = RecordingAuditSink::take().into_iter().map(|e| e.action).collect();
		assert_eq!(audit.iter().filter(|a| **a == AuditAction::ConsentReaped).count(), 2);
	})
}

#[test]
fn grant_errors() {
	ExtBuilder::build_and_execute(|| {
		let call =
			|by: u64, patient: PatientId, grantee, categories, actions, purposes, from, until| {
				EhrConsent::grant_consent(
					signed(by),
					patient,
					grantee,
					categories,
					actions,
					purposes,
					from,
					until,
				)
			};
		let doctor = Grantee::Provider(DOCTOR);
		assert_noop!(
			EhrConsent::grant_consent(
				RuntimeOrigin::none(),
				patient(),
				doctor,
				labs(),
				read(),
				treatment(),
				1,
				None
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			call(ALICE, patient_id(9), doctor, labs(), read(), treatment(), 1, None),
			Error::<Test>::PatientNotFound
		);
		assert_noop!(
			call(STRANGER, patient(), doctor, labs(), read(), treatment(), 1, None),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			call(ALICE, patient(), doctor, DataCategories::EMPTY, read(), treatment(), 1, None),
			Error::<Test>::InvalidCategories
		);
		assert_noop!(
			call(ALICE, patient(), doctor, DataCategories(1 << 15), read(), treatment(), 1, None),
			Error::<Test>::InvalidCategories
		);
		assert_noop!(
			call(ALICE, patient(), doctor, labs(), Actions(0b100), treatment(), 1, None),
			Error::<Test>::InvalidActions
		);
		assert_noop!(
			call(ALICE, patient(), doctor, labs(), read(), Purposes::EMPTY, 1, None),
			Error::<Test>::InvalidPurposes
		);
		assert_noop!(
			call(ALICE, patient(), doctor, labs(), read(), treatment(), 5, Some(4)),
			Error::<Test>::InvalidPeriod
		);
		go_to(3);
		assert_noop!(
			call(ALICE, patient(), doctor, labs(), read(), treatment(), 1, Some(2)),
			Error::<Test>::InvalidPeriod
		);
		assert_noop!(
			call(
				ALICE,
				patient(),
				Grantee::Provider(STRANGER),
				labs(),
				read(),
				treatment(),
				1,
				None
			),
			Error::<Test>::UnknownGrantee
		);
		assert_noop!(
			call(
				ALICE,
				patient(),
				Grantee::Organisation(OrgId(7)),
				labs(),
				read(),
				treatment(),
				1,
				None
			),
			Error::<Test>::UnknownGrantee
		);
		TestPatients::register(patient_id(3), POOR);
		assert_noop!(
			call(POOR, patient_id(3), doctor, labs(), read(), treatment(), 1, None),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
		NextConsentId::<Test>::put(u64::MAX);
		assert_noop!(
			call(ALICE, patient(), doctor, labs(), read(), treatment(), 1, None),
			Error::<Test>::ConsentIdsExhausted
		);
		NextConsentId::<Test>::put(0);
	})
}

#[test]
fn grant_bounds() {
	ExtBuilder::build_and_execute(|| {
		for _ in 0..MAX_PER_GRANTEE {
			grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		}
		assert_noop!(
			grant_call(ALICE, Grantee::Provider(DOCTOR), 1, None),
			Error::<Test>::TooManyGrantsForGrantee
		);
		for _ in MAX_PER_GRANTEE..MAX_CONSENTS {
			grant(ALICE, Grantee::Provider(NURSE), 1, None);
		}
		assert_noop!(
			grant_call(ALICE, Grantee::Organisation(OrgId(2)), 1, None),
			Error::<Test>::TooManyConsents
		);
	})
}

#[test]
fn revoke_and_reap_errors() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		assert_noop!(
			EhrConsent::revoke_consent(signed(ALICE), ConsentId(77)),
			Error::<Test>::ConsentNotFound
		);
		assert_noop!(
			EhrConsent::revoke_consent(signed(STRANGER), id),
			Error::<Test>::NotAuthorized
		);
		// The grantee cannot revoke on the patient's behalf either.
		assert_noop!(EhrConsent::revoke_consent(signed(DOCTOR), id), Error::<Test>::NotAuthorized);
		assert_ok!(EhrConsent::revoke_consent(signed(GUARDIAN), id));
		assert_noop!(EhrConsent::revoke_consent(signed(ALICE), id), Error::<Test>::AlreadyRevoked);
		assert_noop!(
			EhrConsent::reap_consent(signed(ALICE), ConsentId(77)),
			Error::<Test>::ConsentNotFound
		);
		assert_noop!(EhrConsent::reap_consent(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
	})
}

#[test]
fn emergency_window_permits_etreat_only_and_expires() {
	ExtBuilder::build_and_execute(|| {
		let justification = [7u8; 32];
		go_to(3);
		assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient(), justification));
		System::assert_has_event(
			Event::EmergencyAccessOpened {
				patient: patient(),
				provider: DOCTOR,
				organisation: OrgId(1),
				expires_at: 3 + EMERGENCY_DURATION,
				justification,
			}
			.into(),
		);
		assert_eq!(
			held(HoldReason::EmergencyDeposit, DOCTOR),
			10 + EhrConsent::emergency_footprint().size
		);
		let etreat =
			request(DataCategory::MentalHealth, Action::Read, PurposeOfUse::EmergencyTreatment);
		let emergency = AccessDecision::Permitted(AccessBasis::Emergency { opened_at: 3 });
		assert_eq!(EhrConsent::check_access(&DOCTOR, &etreat), emergency);
		// Not for other purposes, and not for other providers.
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), denied(DenialReason::NoConsent));
		assert_eq!(EhrConsent::check_access(&NURSE, &etreat), denied(DenialReason::NoConsent));
		// The window covers up to, not including, its expiry block.
		go_to(3 + EMERGENCY_DURATION - 1);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &etreat), emergency);
		go_to(3 + EMERGENCY_DURATION);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &etreat), denied(DenialReason::NoConsent));
		// Audited with the purpose and the organisation.
		let entry = RecordingAuditSink::take().pop().unwrap();
		assert_eq!(entry.action, AuditAction::EmergencyAccessOpened);
		assert_eq!(entry.organisation, Some(OrgId(1)));
		assert_eq!(entry.purpose, Some(PurposeOfUse::EmergencyTreatment));
		// Reaped by anyone; the provider gets its deposit back.
		assert_ok!(EhrConsent::reap_emergency_access(signed(STRANGER), patient(), DOCTOR));
		System::assert_has_event(
			Event::EmergencyAccessReaped { patient: patient(), provider: DOCTOR }.into(),
		);
		assert_eq!(held(HoldReason::EmergencyDeposit, DOCTOR), 0);
	})
}

#[test]
fn emergency_window_closed_early_by_patient_provider_or_governance() {
	ExtBuilder::build_and_execute(|| {
		let etreat =
			request(DataCategory::Laboratory, Action::Read, PurposeOfUse::EmergencyTreatment);
		for (closer, origin) in [
			// The guardian first: its term ends at block 50.
			(Some(GUARDIAN), signed(GUARDIAN)),
			(Some(ALICE), signed(ALICE)),
			(Some(DOCTOR), signed(DOCTOR)),
			(None, RuntimeOrigin::root()),
		] {
			assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [1; 32]));
			let opened_at = System::block_number();
			assert_ok!(EhrConsent::close_emergency_access(origin, patient(), DOCTOR));
			System::assert_has_event(
				Event::EmergencyAccessClosed {
					patient: patient(),
					provider: DOCTOR,
					closed_by: closer,
				}
				.into(),
			);
			assert_eq!(EhrConsent::check_access(&DOCTOR, &etreat), denied(DenialReason::NoConsent));
			let entry = RecordingAuditSink::take().pop().unwrap();
			assert_eq!(entry.action, AuditAction::EmergencyAccessClosed);
			assert_eq!(entry.entity, AuditEntity::Emergency { provider: DOCTOR, opened_at });
			assert_eq!(entry.actor, closer.map_or(AuditActor::Governance, AuditActor::Account));
			// A new window replaces the ended one (the rate limit is per period).
			go_to(System::block_number() + EMERGENCY_PERIOD);
		}
	})
}

#[test]
fn emergency_errors() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			EhrConsent::open_emergency_access(signed(STRANGER), patient(), [1; 32]),
			Error::<Test>::NotAccredited
		);
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient_id(9), [1; 32]),
			Error::<Test>::PatientNotFound
		);
		assert_noop!(
			EhrConsent::close_emergency_access(signed(ALICE), patient(), DOCTOR),
			Error::<Test>::EmergencyNotFound
		);
		assert_noop!(
			EhrConsent::reap_emergency_access(signed(ALICE), patient(), DOCTOR),
			Error::<Test>::EmergencyNotFound
		);
		assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [1; 32]));
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [2; 32]),
			Error::<Test>::EmergencyAlreadyOpen
		);
		assert_noop!(
			EhrConsent::close_emergency_access(signed(STRANGER), patient(), DOCTOR),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			EhrConsent::close_emergency_access(signed(NURSE), patient(), DOCTOR),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			EhrConsent::reap_emergency_access(signed(ALICE), patient(), DOCTOR),
			Error::<Test>::NotEnded
		);
		assert_ok!(EhrConsent::close_emergency_access(signed(ALICE), patient(), DOCTOR));
		assert_noop!(
			EhrConsent::close_emergency_access(signed(ALICE), patient(), DOCTOR),
			Error::<Test>::EmergencyNotOpen
		);
		// Second window in the period is allowed, the third is not.
		assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [2; 32]));
		assert_ok!(EhrConsent::close_emergency_access(signed(DOCTOR), patient(), DOCTOR));
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [3; 32]),
			Error::<Test>::EmergencyRateLimited
		);
		// Other patients count too: the limit is per provider.
		TestPatients::register(patient_id(2), STRANGER);
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient_id(2), [3; 32]),
			Error::<Test>::EmergencyRateLimited
		);
		go_to(1 + EMERGENCY_PERIOD);
		assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient_id(2), [3; 32]));
		TestPatients::close(patient(), 1 + EMERGENCY_PERIOD);
		assert_noop!(
			EhrConsent::open_emergency_access(signed(OTHER_DOCTOR), patient(), [4; 32]),
			Error::<Test>::PatientClosed
		);
	})
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

#[test]
fn the_index_keeps_each_grants_terms_and_revocation_updates_them() {
	ExtBuilder::build().execute_with(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, Some(50));
		let listed = ConsentsByGrantee::<Test>::get(patient(), Grantee::Provider(DOCTOR));
		assert_eq!(listed.len(), 1);
		assert_eq!(listed[0], Consents::<Test>::get(id).unwrap().terms(id));
		assert_eq!(listed[0].valid_until, Some(50));
		assert_eq!(listed[0].revoked_at, None);

		go_to(7);
		assert_ok!(EhrConsent::revoke_consent(signed(ALICE), id));
		let listed = ConsentsByGrantee::<Test>::get(patient(), Grantee::Provider(DOCTOR));
		assert_eq!(listed[0].revoked_at, Some(7));
		assert_eq!(Consents::<Test>::get(id).unwrap().revoked_at, Some(7));
		// The check answers from the index alone, as before the revocation for earlier blocks.
		assert_eq!(
			EhrConsent::check_access_at(&DOCTOR, &lab_read(), 6),
			AccessDecision::Permitted(AccessBasis::Grant(id))
		);
		assert_eq!(
			EhrConsent::check_access_at(&DOCTOR, &lab_read(), 7),
			AccessDecision::Denied(DenialReason::ConsentRevoked)
		);
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

mod security;
