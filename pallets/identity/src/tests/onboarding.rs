//! Onboarding by an organisation with the patient key's signed agreement, and the accounts the
//! pallet keeps alive for keys that hold nothing.

use super::*;
use polkadot_sdk::{
	frame_support::traits::fungible::Inspect, frame_system, sp_runtime::testing::TestSignature,
};

/// A key that holds nothing.
const PATIENT: u64 = 500;
/// The organisation's system account (funded), accredited by its admin.
const SYSTEM: u64 = CAROL;

fn accredit_system() {
	assert_ok!(Identity::accredit_provider(
		signed(ADMIN),
		SYSTEM,
		OrgId(0),
		ProviderRole::OrganisationSystem
	));
}

fn proof(key: u64, org: OrgId, expires_at: u64) -> TestSignature {
	TestSignature(key, Identity::onboarding_payload(org, &key, expires_at))
}

fn onboard(by: u64, key: u64) -> Result<(), DispatchError> {
	let expires_at = System::block_number() + 10;
	Identity::onboard_patient(
		signed(by),
		OrgId(0),
		key,
		expires_at,
		proof(key, OrgId(0), expires_at),
	)
}

#[test]
fn an_organisation_onboards_a_patient_who_holds_nothing_and_holds_its_deposit() {
	ExtBuilder::build_and_execute(|| {
		accredit_system();
		let patient = Identity::next_patient_id(&PATIENT);
		assert_ok!(onboard(SYSTEM, PATIENT));
		assert_eq!(PatientOf::<Test>::get(PATIENT), Some(patient));
		let record = Patients::<Test>::get(patient).unwrap();
		assert_eq!(record.depositor, SYSTEM);
		assert_eq!(held(SYSTEM), deposit());
		assert_eq!(Balances::total_balance(&PATIENT), 0);
		// The key's account exists (so it has a nonce to sign meta transactions with), and the
		// agreement's nonce is spent.
		assert_eq!(frame_system::Pallet::<Test>::account(PATIENT).sufficients, 1);
		assert_eq!(frame_system::Pallet::<Test>::account_nonce(PATIENT), 1);
		System::assert_last_event(
			Event::PatientOnboarded {
				patient,
				controller: PATIENT,
				organisation: OrgId(0),
				depositor: SYSTEM,
			}
			.into(),
		);
		let entry = RecordingAuditSink::take().pop().unwrap();
		assert_eq!(entry.action, AuditAction::PatientOnboarded);
		assert_eq!(entry.organisation, Some(OrgId(0)));
		assert_eq!(entry.entity, AuditEntity::Agent(PATIENT));

		// Closing returns the deposit (less the tombstone's share) to the organisation and
		// lets the key's account go.
		assert_ok!(Identity::close_patient(signed(PATIENT)));
		assert_eq!(held(SYSTEM), 0);
		assert_eq!(frame_system::Pallet::<Test>::account(PATIENT).sufficients, 0);
	});
}

#[test]
fn the_admin_may_onboard_and_a_wrapped_signature_is_accepted() {
	ExtBuilder::build_and_execute(|| {
		let expires_at = 5;
		let payload = Identity::onboarding_payload(OrgId(0), &PATIENT, expires_at);
		let wrapped = [b"<Bytes>".as_slice(), &payload, b"</Bytes>".as_slice()].concat();
		assert_ok!(Identity::onboard_patient(
			signed(ADMIN),
			OrgId(0),
			PATIENT,
			expires_at,
			TestSignature(PATIENT, wrapped)
		));
		assert_eq!(held(ADMIN), deposit());
	});
}

#[test]
fn nobody_is_onboarded_without_a_valid_agreement() {
	ExtBuilder::build_and_execute(|| {
		accredit_system();
		let expires_at = 10;
		// Signed by another key.
		assert_noop!(
			Identity::onboard_patient(
				signed(SYSTEM),
				OrgId(0),
				PATIENT,
				expires_at,
				proof(PATIENT + 1, OrgId(0), expires_at)
			),
			Error::<Test>::BadOnboardingProof
		);
		// Signed for another organisation.
		assert_ok!(Identity::register_organisation(RuntimeOrigin::root(), ALICE));
		assert_noop!(
			Identity::onboard_patient(
				signed(SYSTEM),
				OrgId(0),
				PATIENT,
				expires_at,
				proof(PATIENT, OrgId(1), expires_at)
			),
			Error::<Test>::BadOnboardingProof
		);
		// Signed for another expiry.
		assert_noop!(
			Identity::onboard_patient(
				signed(SYSTEM),
				OrgId(0),
				PATIENT,
				expires_at,
				proof(PATIENT, OrgId(0), expires_at + 1)
			),
			Error::<Test>::BadOnboardingProof
		);
		// Expired, or valid for too long.
		assert_noop!(
			Identity::onboard_patient(
				signed(SYSTEM),
				OrgId(0),
				PATIENT,
				1,
				proof(PATIENT, OrgId(0), 1)
			),
			Error::<Test>::OnboardingExpired
		);
		assert_noop!(
			Identity::onboard_patient(
				signed(SYSTEM),
				OrgId(0),
				PATIENT,
				102,
				proof(PATIENT, OrgId(0), 102)
			),
			Error::<Test>::OnboardingValidityTooLong
		);
	});
}

#[test]
fn an_agreement_works_once() {
	ExtBuilder::build_and_execute(|| {
		accredit_system();
		let expires_at = 10;
		let agreement = proof(PATIENT, OrgId(0), expires_at);
		assert_ok!(Identity::onboard_patient(
			signed(SYSTEM),
			OrgId(0),
			PATIENT,
			expires_at,
			agreement.clone()
		));
		assert_noop!(
			Identity::onboard_patient(
				signed(SYSTEM),
				OrgId(0),
				PATIENT,
				expires_at,
				agreement.clone()
			),
			Error::<Test>::BadOnboardingProof
		);
		// Closing removes the key's account (it holds nothing), and with it the nonce: within
		// its window the agreement would verify again. Past `expires_at` it cannot: the window
		// (`MaxOnboardingValidity`, an hour in the runtime) bounds the replay.
		assert_ok!(Identity::close_patient(signed(PATIENT)));
		System::set_block_number(expires_at);
		assert_noop!(
			Identity::onboard_patient(signed(SYSTEM), OrgId(0), PATIENT, expires_at, agreement),
			Error::<Test>::OnboardingExpired
		);
	});
}

#[test]
fn only_the_admin_or_a_system_or_administrator_account_of_an_active_organisation_onboards() {
	ExtBuilder::build_and_execute(|| {
		// A physician of the organisation may not.
		assert_noop!(onboard(DOCTOR, PATIENT), Error::<Test>::NotOrganisationMember);
		// Nor a stranger.
		assert_noop!(onboard(ALICE, PATIENT), Error::<Test>::NotOrganisationMember);
		assert_noop!(
			Identity::onboard_patient(
				signed(ADMIN),
				OrgId(9),
				PATIENT,
				5,
				proof(PATIENT, OrgId(9), 5)
			),
			Error::<Test>::OrganisationNotFound
		);
		// A suspended system account may not.
		accredit_system();
		assert_ok!(Identity::suspend_provider(signed(ADMIN), SYSTEM));
		assert_noop!(onboard(SYSTEM, PATIENT), Error::<Test>::NotOrganisationMember);
		// Governance stops an organisation that abuses onboarding by suspending it.
		assert_ok!(Identity::suspend_organisation(RuntimeOrigin::root(), OrgId(0)));
		assert_noop!(onboard(ADMIN, PATIENT), Error::<Test>::OrganisationSuspended);
	});
}

#[test]
fn onboarding_is_bounded_by_the_organisations_funds_and_by_existing_control() {
	ExtBuilder::build_and_execute(|| {
		accredit_system();
		assert_ok!(onboard(SYSTEM, PATIENT));
		// A key that controls an identity already, with a fresh agreement.
		assert_noop!(onboard(SYSTEM, PATIENT), Error::<Test>::AlreadyController);
		// The organisation's funds run out.
		let free = Balances::free_balance(SYSTEM);
		assert_ok!(Balances::transfer_keep_alive(signed(SYSTEM), BOB, free - 1));
		assert_noop!(onboard(SYSTEM, PATIENT + 1), TokenError::FundsUnavailable);
	});
}

#[test]
fn keys_that_control_guard_or_are_invited_are_kept_alive_and_released() {
	ExtBuilder::build_and_execute(|| {
		let sufficients = |who: u64| frame_system::Pallet::<Test>::account(who).sufficients;
		register(ALICE);
		assert_eq!(sufficients(ALICE), 1);
		assert_ok!(Identity::add_guardian(signed(ALICE), 600, None));
		assert_eq!(sufficients(600), 1);
		assert_ok!(Identity::add_controller(signed(ALICE), 601));
		assert_eq!(sufficients(601), 1);
		// A new invitation replaces it and releases the first invitee.
		assert_ok!(Identity::add_controller(signed(ALICE), 600));
		assert_eq!(sufficients(601), 0);
		assert_eq!(sufficients(600), 2);
		// The guardian accepts and becomes a controller: one reference remains.
		let patient = PatientOf::<Test>::get(ALICE).unwrap();
		assert_ok!(Identity::accept_controller(signed(600), patient));
		assert_eq!(sufficients(600), 1);
		assert_ok!(Identity::remove_controller(signed(ALICE), 600));
		assert_eq!(sufficients(600), 0);
		assert_ok!(Identity::add_guardian(signed(ALICE), 602, None));
		assert_ok!(Identity::remove_guardian(signed(ALICE), patient, 602));
		assert_eq!(sufficients(602), 0);
		assert_ok!(Identity::add_guardian(signed(ALICE), 603, None));
		assert_ok!(Identity::add_controller(signed(ALICE), 604));
		assert_ok!(Identity::close_patient(signed(ALICE)));
		assert_eq!((sufficients(ALICE), sufficients(603), sufficients(604)), (0, 0, 0));
	});
}
