//! Recovery of an identity whose keys are all lost: a threshold of friends, a delay, and a
//! controller's veto.

use super::*;
use polkadot_sdk::{frame_support::BoundedVec, frame_system};

/// The new key of a patient who lost its phone; it holds nothing.
const NEW_KEY: u64 = 700;
const MALLORY: u64 = 701;
const DELAY: u64 = 10;

fn friends(list: &[u64]) -> BoundedVec<u64, <Test as Config>::MaxRecoveryFriends> {
	BoundedVec::truncate_from(list.to_vec())
}

fn recovery_held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Identity(HoldReason::RecoveryDeposit), &who)
}

/// Alice's identity with Bob, Carol and Dave as friends, 2 of 3, delay 10.
fn configured() -> PatientId {
	let patient = register(ALICE);
	assert_ok!(Identity::set_recovery(signed(ALICE), friends(&[BOB, CAROL, DAVE]), 2, DELAY));
	patient
}

#[test]
fn a_patient_who_lost_every_key_recovers_with_the_threshold_after_the_delay() {
	ExtBuilder::build_and_execute(|| {
		let patient = configured();
		add_controller(ALICE, CAROL + 100);
		assert_ok!(Identity::add_guardian(signed(ALICE), DOCTOR, None));
		RecordingAuditSink::take();

		assert_ok!(Identity::initiate_recovery(signed(BOB), patient, NEW_KEY));
		assert!(recovery_held(BOB) > 0);
		// The new key's account is kept alive so it can claim with a sponsored call.
		assert_eq!(frame_system::Pallet::<Test>::account(NEW_KEY).sufficients, 1);
		// One approval of two: not enough, even after the delay.
		System::set_block_number(1 + DELAY);
		assert_noop!(
			Identity::claim_recovery(signed(NEW_KEY), patient),
			Error::<Test>::RecoveryThresholdNotMet
		);
		System::set_block_number(2);
		assert_ok!(Identity::approve_recovery(signed(CAROL), patient));
		// Enough approvals, but the delay is not over.
		assert_noop!(
			Identity::claim_recovery(signed(NEW_KEY), patient),
			Error::<Test>::RecoveryDelayNotOver
		);
		System::set_block_number(1 + DELAY);
		// Only the new key may claim.
		assert_noop!(
			Identity::claim_recovery(signed(CAROL), patient),
			Error::<Test>::NotRecoveryTarget
		);
		assert_ok!(Identity::claim_recovery(signed(NEW_KEY), patient));
		System::assert_last_event(
			Event::PatientRecovered { patient, new_controller: NEW_KEY }.into(),
		);

		// The new key is the only controller of the same identity; the lost keys can do
		// nothing; the guardian stays; the deposit is released to Bob.
		let record = Patients::<Test>::get(patient).unwrap();
		assert_eq!(record.controllers.to_vec(), vec![NEW_KEY]);
		assert_eq!(record.guardians.len(), 1);
		assert_eq!(PatientOf::<Test>::get(NEW_KEY), Some(patient));
		assert_eq!(PatientOf::<Test>::get(ALICE), None);
		assert_noop!(Identity::close_patient(signed(ALICE)), Error::<Test>::NotController);
		assert_noop!(
			Identity::add_guardian(signed(CAROL + 100), BOB, None),
			Error::<Test>::NotController
		);
		assert_eq!(Identity::agent(&ALICE, &patient), Err(ActForError::NotAuthorized));
		assert_eq!(recovery_held(BOB), 0);
		assert!(!ActiveRecoveries::<Test>::contains_key(patient));

		// Every step is in the patient's trail.
		let actions: Vec<_> = RecordingAuditSink::take().into_iter().map(|e| e.action).collect();
		assert_eq!(
			actions,
			vec![
				AuditAction::RecoveryInitiated,
				AuditAction::RecoveryApproved,
				AuditAction::Recovered
			]
		);
	});
}

#[test]
fn a_controller_cancels_a_recovery_it_did_not_ask_for() {
	ExtBuilder::build_and_execute(|| {
		let patient = configured();
		// Bob and Carol collude to take the identity to Mallory's key.
		assert_ok!(Identity::initiate_recovery(signed(BOB), patient, MALLORY));
		assert_ok!(Identity::approve_recovery(signed(CAROL), patient));
		assert_noop!(Identity::cancel_recovery(signed(BOB)), Error::<Test>::NotController);
		assert_ok!(Identity::cancel_recovery(signed(ALICE)));
		System::assert_last_event(Event::RecoveryCancelled { patient, by: ALICE }.into());
		assert_eq!(recovery_held(BOB), 0);
		assert_eq!(frame_system::Pallet::<Test>::account(MALLORY).sufficients, 0);
		System::set_block_number(1 + DELAY);
		assert_noop!(
			Identity::claim_recovery(signed(MALLORY), patient),
			Error::<Test>::NoActiveRecovery
		);
		assert_eq!(PatientOf::<Test>::get(ALICE), Some(patient));
		let entry = RecordingAuditSink::take().pop().unwrap();
		assert_eq!(entry.action, AuditAction::RecoveryCancelled);
		assert_eq!(entry.entity, AuditEntity::Agent(MALLORY));
	});
}

#[test]
fn a_recovery_configuration_must_be_sound() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			Identity::set_recovery(signed(ALICE), friends(&[BOB]), 1, DELAY),
			Error::<Test>::NotController
		);
		register(ALICE);
		for (list, threshold, delay) in [
			(&[][..], 1, DELAY),
			(&[BOB, BOB][..], 1, DELAY),
			(&[BOB, CAROL][..], 0, DELAY),
			(&[BOB, CAROL][..], 3, DELAY),
			(&[BOB, CAROL][..], 1, DELAY - 1),
		] {
			assert_noop!(
				Identity::set_recovery(signed(ALICE), friends(list), threshold, delay),
				Error::<Test>::InvalidRecoveryConfig
			);
		}
		assert_noop!(
			Identity::remove_recovery(signed(ALICE)),
			Error::<Test>::RecoveryNotConfigured
		);
	});
}

#[test]
fn recovery_calls_refuse_what_they_must() {
	ExtBuilder::build_and_execute(|| {
		let unknown = PatientId([9; 32]);
		assert_noop!(
			Identity::initiate_recovery(signed(BOB), unknown, NEW_KEY),
			Error::<Test>::PatientNotFound
		);
		let patient = register(ALICE);
		assert_noop!(
			Identity::initiate_recovery(signed(BOB), patient, NEW_KEY),
			Error::<Test>::RecoveryNotConfigured
		);
		assert_noop!(
			Identity::approve_recovery(signed(BOB), patient),
			Error::<Test>::NoActiveRecovery
		);
		assert_noop!(Identity::cancel_recovery(signed(ALICE)), Error::<Test>::NoActiveRecovery);
		assert_noop!(
			Identity::claim_recovery(signed(NEW_KEY), patient),
			Error::<Test>::NoActiveRecovery
		);
		assert_ok!(Identity::set_recovery(signed(ALICE), friends(&[BOB, CAROL, DAVE]), 2, DELAY));
		assert_noop!(
			Identity::initiate_recovery(signed(ADMIN), patient, NEW_KEY),
			Error::<Test>::NotRecoveryFriend
		);
		// A key that controls an identity cannot be the new key.
		register(DOCTOR);
		assert_noop!(
			Identity::initiate_recovery(signed(BOB), patient, DOCTOR),
			Error::<Test>::AlreadyController
		);
		// A friend with no funds cannot hold the deposit.
		assert_ok!(Identity::set_recovery(signed(ALICE), friends(&[POOR, BOB]), 1, DELAY));
		assert_noop!(
			Identity::initiate_recovery(signed(POOR), patient, NEW_KEY),
			TokenError::FundsUnavailable
		);
		assert_ok!(Identity::initiate_recovery(signed(BOB), patient, NEW_KEY));
		assert_noop!(
			Identity::initiate_recovery(signed(BOB), patient, MALLORY),
			Error::<Test>::RecoveryInProgress
		);
		assert_noop!(
			Identity::approve_recovery(signed(BOB), patient),
			Error::<Test>::AlreadyApproved
		);
		assert_noop!(
			Identity::approve_recovery(signed(DAVE), patient),
			Error::<Test>::NotRecoveryFriend
		);
		// Removing the configuration cancels the recovery under way.
		System::set_block_number(1 + DELAY);
		assert_ok!(Identity::remove_recovery(signed(ALICE)));
		assert_noop!(
			Identity::claim_recovery(signed(NEW_KEY), patient),
			Error::<Test>::NoActiveRecovery
		);
	});
}

#[test]
fn closing_the_identity_ends_its_recovery_and_releases_the_deposit() {
	ExtBuilder::build_and_execute(|| {
		let patient = configured();
		assert_ok!(Identity::initiate_recovery(signed(BOB), patient, NEW_KEY));
		assert_ok!(Identity::close_patient(signed(ALICE)));
		assert!(!RecoveryConfigs::<Test>::contains_key(patient));
		assert!(!ActiveRecoveries::<Test>::contains_key(patient));
		assert_eq!(recovery_held(BOB), 0);
		assert_eq!(frame_system::Pallet::<Test>::account(NEW_KEY).sufficients, 0);
	});
}
