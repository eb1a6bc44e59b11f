//! Tests of the identity pallet. Each runs in [`ExtBuilder::build_and_execute`], which checks
//! the storage invariants afterwards.

use crate::{mock::*, *};
use ehr_primitives::{
	testing::RecordingAuditSink, ActForError, AuditAction, AuditEntity, PatientAgent,
	PatientRegistry, PatientStatus, ProviderInfo, ProviderRegistry,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{fungible::InspectHold, Consideration},
	},
	sp_runtime::{DispatchError, TokenError},
};

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn register(who: u64) -> PatientId {
	let patient = Identity::next_patient_id(&who);
	assert_ok!(Identity::register_patient(signed(who)));
	patient
}

/// `by` invites `new` as a controller of its identity and `new` accepts.
fn add_controller(by: u64, new: u64) {
	let patient = PatientOf::<Test>::get(by).expect("a controller");
	assert_ok!(Identity::add_controller(signed(by), new));
	assert_ok!(Identity::accept_controller(signed(new), patient));
}

/// `by` invites `new` to replace it and `new` accepts.
fn replace_controller(by: u64, new: u64) {
	let patient = PatientOf::<Test>::get(by).expect("a controller");
	assert_ok!(Identity::replace_controller(signed(by), new));
	assert_ok!(Identity::accept_controller(signed(new), patient));
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Identity(HoldReason::PatientDeposit), &who)
}

fn deposit() -> u64 {
	100 + Identity::patient_footprint().size
}

#[test]
fn register_patient_holds_deposit_and_indexes_controller() {
	ExtBuilder::build_and_execute(|| {
		let patient = register(ALICE);
		System::assert_has_event(Event::PatientRegistered { patient, controller: ALICE }.into());
		assert_eq!(PatientOf::<Test>::get(ALICE), Some(patient));
		assert_eq!(held(ALICE), deposit());
		assert_eq!(Identity::status(&patient), Some(PatientStatus::Active));
		assert_eq!(Identity::agent(&ALICE, &patient), Ok(PatientAgent::Controller));
		// A second registration gets a different id, even in the same block.
		let other = register(BOB);
		assert_ne!(patient, other);
	})
}

#[test]
fn patient_id_is_not_derived_from_caller_data_alone() {
	ExtBuilder::build_and_execute(|| {
		// The id hashes a counter and the parent hash too: the same account closing and
		// registering again gets a new id, and ids never repeat.
		let first = register(ALICE);
		assert_ok!(Identity::close_patient(signed(ALICE)));
		let second = register(ALICE);
		assert_ne!(first, second);
		assert_eq!(Identity::status(&first), Some(PatientStatus::Closed { at: 1 }));
	})
}

#[test]
fn register_errors() {
	ExtBuilder::build_and_execute(|| {
		register(ALICE);
		assert_noop!(Identity::register_patient(signed(ALICE)), Error::<Test>::AlreadyController);
		assert_noop!(Identity::register_patient(RuntimeOrigin::none()), DispatchError::BadOrigin);
		// A taken id (practically impossible, forced here) is rejected before anything is
		// written.
		let next = Identity::next_patient_id(&BOB);
		ClosedPatients::<Test>::insert(next, 1);
		assert_noop!(Identity::register_patient(signed(BOB)), Error::<Test>::PatientIdTaken);
		ClosedPatients::<Test>::remove(next);
		// No funds for the deposit.
		assert_noop!(
			Identity::register_patient(signed(POOR)),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
	})
}

#[test]
fn controllers_add_remove_replace() {
	ExtBuilder::build_and_execute(|| {
		let patient = register(ALICE);
		add_controller(ALICE, BOB);
		System::assert_has_event(Event::ControllerAdded { patient, controller: BOB }.into());
		assert_eq!(Identity::agent(&BOB, &patient), Ok(PatientAgent::Controller));

		// Rotating a key keeps the id.
		replace_controller(BOB, CAROL);
		System::assert_has_event(
			Event::ControllerReplaced { patient, old_controller: BOB, new_controller: CAROL }
				.into(),
		);
		assert_eq!(PatientOf::<Test>::get(BOB), None);
		assert_eq!(PatientOf::<Test>::get(CAROL), Some(patient));

		// Any controller may remove another, or itself, but not the last one.
		assert_ok!(Identity::remove_controller(signed(CAROL), ALICE));
		System::assert_has_event(Event::ControllerRemoved { patient, controller: ALICE }.into());
		assert_noop!(
			Identity::remove_controller(signed(CAROL), CAROL),
			Error::<Test>::LastController
		);
		// The deposit stays with the registrant.
		assert_eq!(held(ALICE), deposit());
		assert_eq!(held(CAROL), 0);

		let audit: Vec<_> = RecordingAuditSink::take().into_iter().map(|e| e.action).collect();
		assert_eq!(
			audit,
			vec![
				AuditAction::ControllerAdded,
				AuditAction::ControllerReplaced,
				AuditAction::ControllerRemoved
			]
		);
	})
}

#[test]
fn controller_errors() {
	ExtBuilder::build_and_execute(|| {
		let patient = register(ALICE);
		register(DAVE);
		assert_noop!(Identity::add_controller(signed(BOB), CAROL), Error::<Test>::NotController);
		assert_noop!(
			Identity::add_controller(signed(ALICE), DAVE),
			Error::<Test>::AlreadyController
		);
		assert_noop!(
			Identity::replace_controller(signed(ALICE), DAVE),
			Error::<Test>::AlreadyController
		);
		assert_noop!(
			Identity::remove_controller(signed(ALICE), BOB),
			Error::<Test>::ControllerNotFound
		);
		assert_noop!(Identity::remove_controller(signed(BOB), ALICE), Error::<Test>::NotController);
		add_controller(ALICE, BOB);
		add_controller(ALICE, CAROL);
		assert_eq!(
			Patients::<Test>::get(patient).unwrap().controllers.len() as u32,
			MAX_CONTROLLERS
		);
		assert_noop!(
			Identity::add_controller(signed(ALICE), 50),
			Error::<Test>::TooManyControllers
		);
	})
}

#[test]
fn guardians_act_until_their_term_ends() {
	ExtBuilder::build_and_execute(|| {
		let patient = register(ALICE);
		assert_ok!(Identity::add_guardian(signed(ALICE), BOB, Some(10)));
		System::assert_has_event(
			Event::GuardianAdded { patient, guardian: BOB, until: Some(10) }.into(),
		);
		assert_ok!(Identity::add_guardian(signed(ALICE), CAROL, None));
		System::set_block_number(9);
		assert_eq!(Identity::agent(&BOB, &patient), Ok(PatientAgent::Guardian));
		// At the end block the guardian can no longer act (age of majority reached).
		System::set_block_number(10);
		assert_eq!(Identity::agent(&BOB, &patient), Err(ActForError::NotAuthorized));
		assert_eq!(Identity::agent(&CAROL, &patient), Ok(PatientAgent::Guardian));
		assert_eq!(Identity::agent(&DAVE, &patient), Err(ActForError::NotAuthorized));

		// The guardian may step down itself; a controller may remove an expired one.
		assert_ok!(Identity::remove_guardian(signed(CAROL), patient, CAROL));
		assert_ok!(Identity::remove_guardian(signed(ALICE), patient, BOB));
		System::assert_has_event(Event::GuardianRemoved { patient, guardian: BOB }.into());
		assert!(Patients::<Test>::get(patient).unwrap().guardians.is_empty());

		let audit = RecordingAuditSink::take();
		assert_eq!(audit.len(), 4);
		assert_eq!(audit[0].action, AuditAction::GuardianAdded);
		assert_eq!(audit[0].entity, AuditEntity::Agent(BOB));
		assert_eq!(audit[3].action, AuditAction::GuardianRemoved);
	})
}

#[test]
fn guardian_errors() {
	ExtBuilder::build_and_execute(|| {
		let patient = register(ALICE);
		System::set_block_number(5);
		assert_noop!(
			Identity::add_guardian(signed(BOB), CAROL, None),
			Error::<Test>::NotController
		);
		assert_noop!(
			Identity::add_guardian(signed(ALICE), ALICE, None),
			Error::<Test>::GuardianIsController
		);
		assert_noop!(
			Identity::add_guardian(signed(ALICE), BOB, Some(5)),
			Error::<Test>::GuardianTermInPast
		);
		// A term off the grid (5 blocks in the mock) could be a birth date.
		assert_noop!(
			Identity::add_guardian(signed(ALICE), BOB, Some(6)),
			Error::<Test>::GuardianTermNotCoarse
		);
		assert_ok!(Identity::add_guardian(signed(ALICE), BOB, Some(10)));
		assert_noop!(
			Identity::add_guardian(signed(ALICE), BOB, None),
			Error::<Test>::GuardianAlreadyExists
		);
		assert_ok!(Identity::add_guardian(signed(ALICE), CAROL, None));
		assert_noop!(
			Identity::add_guardian(signed(ALICE), DAVE, None),
			Error::<Test>::TooManyGuardians
		);
		// A guardian may not remove another guardian; strangers may not remove anyone.
		assert_noop!(
			Identity::remove_guardian(signed(BOB), patient, CAROL),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			Identity::remove_guardian(signed(ALICE), patient, DAVE),
			Error::<Test>::GuardianNotFound
		);
		assert_noop!(
			Identity::remove_guardian(signed(ALICE), ehr_primitives::testing::patient_id(9), BOB),
			Error::<Test>::PatientNotFound
		);
	})
}

#[test]
fn a_guardian_promoted_to_controller_is_no_longer_a_guardian() {
	ExtBuilder::build_and_execute(|| {
		let patient = register(ALICE);
		assert_ok!(Identity::add_guardian(signed(ALICE), BOB, None));
		add_controller(ALICE, BOB);
		assert!(Patients::<Test>::get(patient).unwrap().guardians.is_empty());
		assert_eq!(Identity::agent(&BOB, &patient), Ok(PatientAgent::Controller));
	})
}

#[test]
fn close_patient_releases_deposit_and_leaves_tombstone() {
	ExtBuilder::build_and_execute(|| {
		let patient = register(ALICE);
		add_controller(ALICE, BOB);
		assert_ok!(Identity::add_guardian(signed(ALICE), CAROL, None));
		System::set_block_number(7);
		assert_ok!(Identity::close_patient(signed(BOB)));
		System::assert_has_event(Event::PatientClosed { patient }.into());
		assert_eq!(held(ALICE), 0);
		assert!(!Patients::<Test>::contains_key(patient));
		assert_eq!(PatientOf::<Test>::get(ALICE), None);
		assert_eq!(PatientOf::<Test>::get(BOB), None);
		assert_eq!(Identity::status(&patient), Some(PatientStatus::Closed { at: 7 }));
		assert!(!Identity::is_active(&patient));
		for who in [ALICE, BOB, CAROL] {
			assert_eq!(Identity::agent(&who, &patient), Err(ActForError::PatientClosed));
		}
		assert_noop!(Identity::close_patient(signed(ALICE)), Error::<Test>::NotController);
		assert_noop!(
			Identity::remove_guardian(signed(CAROL), patient, CAROL),
			Error::<Test>::PatientNotFound
		);
		assert_eq!(
			RecordingAuditSink::take().last().map(|e| (e.action, e.entity)),
			Some((AuditAction::PatientClosed, AuditEntity::Patient))
		);
	})
}

#[test]
fn organisations_and_providers() {
	ExtBuilder::build_and_execute(|| {
		// Genesis: organisation 0 with DOCTOR.
		assert_eq!(
			Identity::active_provider(&DOCTOR),
			Some(ProviderInfo { organisation: OrgId(0), role: ProviderRole::Physician })
		);
		assert_ok!(Identity::register_organisation(RuntimeOrigin::root(), BOB));
		System::assert_has_event(
			Event::OrganisationRegistered { organisation: OrgId(1), admin: BOB }.into(),
		);
		assert!(Identity::organisation_exists(OrgId(1)));
		assert!(!Identity::organisation_exists(OrgId(2)));

		assert_ok!(Identity::accredit_provider(
			RuntimeOrigin::root(),
			CAROL,
			OrgId(1),
			ProviderRole::Laboratory
		));
		System::assert_has_event(
			Event::ProviderAccredited {
				provider: CAROL,
				organisation: OrgId(1),
				role: ProviderRole::Laboratory,
			}
			.into(),
		);
		assert_ok!(Identity::suspend_provider(RuntimeOrigin::root(), CAROL));
		System::assert_has_event(Event::ProviderSuspended { provider: CAROL }.into());
		assert_eq!(Identity::active_provider(&CAROL), None);
		assert_ok!(Identity::reinstate_provider(RuntimeOrigin::root(), CAROL));
		System::assert_has_event(Event::ProviderReinstated { provider: CAROL }.into());
		assert!(Identity::active_provider(&CAROL).is_some());
		assert_ok!(Identity::revoke_provider(RuntimeOrigin::root(), CAROL));
		System::assert_has_event(Event::ProviderRevoked { provider: CAROL }.into());
		assert_eq!(Providers::<Test>::get(CAROL), None);
	})
}

#[test]
fn accreditation_errors() {
	ExtBuilder::build_and_execute(|| {
		// Only the accreditation origin registers organisations, reinstates and revokes; a signed
		// account (even the org admin) is refused.
		assert_noop!(Identity::register_organisation(signed(ADMIN), BOB), DispatchError::BadOrigin);
		for call in [Identity::reinstate_provider, Identity::revoke_provider] {
			assert_noop!(call(signed(ADMIN), DOCTOR), DispatchError::BadOrigin);
		}
		// Accrediting and suspending: governance or the organisation's admin, nobody else.
		assert_noop!(
			Identity::accredit_provider(signed(BOB), CAROL, OrgId(0), ProviderRole::Nurse),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_noop!(
			Identity::accredit_provider(
				RuntimeOrigin::none(),
				CAROL,
				OrgId(0),
				ProviderRole::Nurse
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Identity::accredit_provider(signed(ADMIN), CAROL, OrgId(7), ProviderRole::Nurse),
			Error::<Test>::OrganisationNotFound
		);
		assert_noop!(
			Identity::suspend_provider(signed(BOB), DOCTOR),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_noop!(
			Identity::suspend_provider(signed(ADMIN), BOB),
			Error::<Test>::ProviderNotFound
		);
		let root = RuntimeOrigin::root;
		assert_noop!(
			Identity::accredit_provider(root(), BOB, OrgId(5), ProviderRole::Nurse),
			Error::<Test>::OrganisationNotFound
		);
		assert_noop!(
			Identity::accredit_provider(root(), DOCTOR, OrgId(0), ProviderRole::Nurse),
			Error::<Test>::AlreadyAccredited
		);
		assert_noop!(Identity::suspend_provider(root(), BOB), Error::<Test>::ProviderNotFound);
		assert_noop!(Identity::reinstate_provider(root(), BOB), Error::<Test>::ProviderNotFound);
		assert_noop!(Identity::revoke_provider(root(), BOB), Error::<Test>::ProviderNotFound);
		assert_noop!(Identity::reinstate_provider(root(), DOCTOR), Error::<Test>::NotSuspended);
		assert_ok!(Identity::suspend_provider(root(), DOCTOR));
		assert_noop!(Identity::suspend_provider(root(), DOCTOR), Error::<Test>::AlreadySuspended);
		NextOrgId::<Test>::put(u32::MAX);
		assert_noop!(
			Identity::register_organisation(root(), BOB),
			Error::<Test>::TooManyOrganisations
		);
	})
}

#[test]
fn try_state_detects_broken_invariants() {
	ExtBuilder::build().execute_with(|| {
		let patient = register(ALICE);
		assert_ok!(Identity::do_try_state());
		// An index entry pointing at the wrong identity.
		PatientOf::<Test>::insert(BOB, patient);
		assert!(Identity::do_try_state().is_err());
		PatientOf::<Test>::remove(BOB);
		// A deposit that does not match the stored items.
		register(CAROL);
		assert_ok!(Identity::do_try_state());
		assert_ok!(<Test as Config>::PatientDeposit::new(&CAROL, Identity::patient_footprint()));
		assert!(Identity::do_try_state().is_err());
	})
}

#[test]
fn genesis_rejects_provider_of_unknown_organisation() {
	let result = std::panic::catch_unwind(|| {
		let mut storage = polkadot_sdk::sp_runtime::BuildStorage::build_storage(
			&polkadot_sdk::frame_system::GenesisConfig::<Test>::default(),
		)
		.unwrap();
		polkadot_sdk::sp_runtime::BuildStorage::assimilate_storage(
			&pallet_ehr_identity_genesis(),
			&mut storage,
		)
		.unwrap();
	});
	assert!(result.is_err());
}

fn pallet_ehr_identity_genesis() -> GenesisConfig<Test> {
	GenesisConfig {
		organisations: vec![],
		providers: vec![(DOCTOR, OrgId(3), ProviderRole::Nurse)],
	}
}

#[test]
fn an_organisation_admin_accredits_and_suspends_its_own_staff_only() {
	ExtBuilder::build_and_execute(|| {
		// Organisation 1, administered by Bob.
		assert_ok!(Identity::register_organisation(RuntimeOrigin::root(), BOB));
		assert_ok!(Identity::accredit_provider(
			signed(ADMIN),
			CAROL,
			OrgId(0),
			ProviderRole::Nurse
		));
		System::assert_last_event(
			Event::ProviderAccredited {
				provider: CAROL,
				organisation: OrgId(0),
				role: ProviderRole::Nurse,
			}
			.into(),
		);
		// Bob administers organisation 1, not 0: he can neither accredit into 0 nor suspend its
		// staff.
		assert_noop!(
			Identity::accredit_provider(signed(BOB), DAVE, OrgId(0), ProviderRole::Nurse),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_noop!(
			Identity::suspend_provider(signed(BOB), CAROL),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_ok!(Identity::accredit_provider(
			signed(BOB),
			DAVE,
			OrgId(1),
			ProviderRole::Physician
		));
		// The admin suspends its own provider; only governance reinstates.
		assert_ok!(Identity::suspend_provider(signed(ADMIN), CAROL));
		assert_eq!(Identity::active_provider(&CAROL), None);
		assert_noop!(Identity::reinstate_provider(signed(ADMIN), CAROL), DispatchError::BadOrigin);
		assert_ok!(Identity::reinstate_provider(RuntimeOrigin::root(), CAROL));
		// Governance suspends anyone.
		assert_ok!(Identity::suspend_provider(RuntimeOrigin::root(), DAVE));
		assert_eq!(Identity::active_provider(&DAVE), None);
	})
}

mod onboarding;
mod recovery;
mod security;
