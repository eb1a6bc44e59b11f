//! Tests of the findings of the runtime security review (`docs/security.md`), one or more per
//! finding, named after it.

use super::*;

/// Finding 4: an organisation's admin could re-accredit a provider governance had revoked,
/// since revocation deleted the entry and accreditation only checked that none existed.
#[test]
fn finding_04_an_admin_cannot_undo_a_governance_revocation() {
	ExtBuilder::build_and_execute(|| {
		assert_ok!(Identity::revoke_provider(RuntimeOrigin::root(), DOCTOR));
		assert_eq!(RevokedProviders::<Test>::get(DOCTOR), Some(OrgId(0)));
		assert_noop!(
			Identity::accredit_provider(signed(ADMIN), DOCTOR, OrgId(0), ProviderRole::Physician),
			Error::<Test>::RevokedByGovernance
		);
		assert_eq!(Identity::active_provider(&DOCTOR), None);
		// Governance itself may accredit the account again, which clears the mark.
		assert_ok!(Identity::accredit_provider(
			RuntimeOrigin::root(),
			DOCTOR,
			OrgId(0),
			ProviderRole::Nurse
		));
		assert_eq!(RevokedProviders::<Test>::get(DOCTOR), None);
		assert!(Identity::active_provider(&DOCTOR).is_some());
	})
}

/// Finding 4: governance replaces and removes an organisation's admin.
#[test]
fn finding_04_governance_replaces_or_removes_an_organisation_admin() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			Identity::set_organisation_admin(signed(ADMIN), OrgId(0), Some(BOB)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Identity::set_organisation_admin(RuntimeOrigin::root(), OrgId(7), Some(BOB)),
			Error::<Test>::OrganisationNotFound
		);
		assert_ok!(Identity::set_organisation_admin(RuntimeOrigin::root(), OrgId(0), Some(BOB)));
		System::assert_last_event(
			Event::OrganisationAdminChanged { organisation: OrgId(0), admin: Some(BOB) }.into(),
		);
		// The old admin has lost its powers, the new one has them.
		assert_noop!(
			Identity::accredit_provider(signed(ADMIN), CAROL, OrgId(0), ProviderRole::Nurse),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_ok!(Identity::accredit_provider(signed(BOB), CAROL, OrgId(0), ProviderRole::Nurse));
		// Removed: nobody but governance manages the organisation's staff.
		assert_ok!(Identity::set_organisation_admin(RuntimeOrigin::root(), OrgId(0), None));
		assert_eq!(Organisations::<Test>::get(OrgId(0)).and_then(|o| o.admin), None);
		assert_noop!(
			Identity::suspend_provider(signed(BOB), CAROL),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_ok!(Identity::suspend_provider(RuntimeOrigin::root(), CAROL));
	})
}

/// Finding 4: governance suspends a whole organisation: none of its providers is in force and
/// its admin can do nothing, until governance reinstates it.
#[test]
fn finding_04_governance_suspends_a_whole_organisation() {
	ExtBuilder::build_and_execute(|| {
		assert!(Identity::active_provider(&DOCTOR).is_some());
		assert_noop!(
			Identity::suspend_organisation(signed(ADMIN), OrgId(0)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Identity::suspend_organisation(RuntimeOrigin::root(), OrgId(7)),
			Error::<Test>::OrganisationNotFound
		);
		assert_noop!(
			Identity::reinstate_organisation(RuntimeOrigin::root(), OrgId(0)),
			Error::<Test>::OrganisationNotSuspended
		);
		assert_ok!(Identity::suspend_organisation(RuntimeOrigin::root(), OrgId(0)));
		System::assert_last_event(Event::OrganisationSuspended { organisation: OrgId(0) }.into());
		assert_noop!(
			Identity::suspend_organisation(RuntimeOrigin::root(), OrgId(0)),
			Error::<Test>::OrganisationAlreadySuspended
		);
		// Its providers are accredited but not in force.
		assert_eq!(Identity::active_provider(&DOCTOR), None);
		assert_eq!(Identity::accreditation(&DOCTOR).map(|a| a.active), Some(false));
		// Its admin can do nothing.
		assert_noop!(
			Identity::accredit_provider(signed(ADMIN), CAROL, OrgId(0), ProviderRole::Nurse),
			Error::<Test>::OrganisationSuspended
		);
		assert_noop!(
			Identity::suspend_provider(signed(ADMIN), DOCTOR),
			Error::<Test>::OrganisationSuspended
		);
		assert_ok!(Identity::reinstate_organisation(RuntimeOrigin::root(), OrgId(0)));
		System::assert_last_event(Event::OrganisationReinstated { organisation: OrgId(0) }.into());
		assert!(Identity::active_provider(&DOCTOR).is_some());
	})
}

/// Finding 8: registering then closing left a tombstone for good and returned the whole
/// deposit, so one account could grow state without bound for free. The tombstone's share of
/// the deposit is now burnt.
#[test]
fn finding_08_a_closed_identitys_tombstone_is_paid_for() {
	use codec::MaxEncodedLen;
	use polkadot_sdk::frame_support::traits::fungible::Inspect;
	ExtBuilder::build_and_execute(|| {
		let before = Balances::balance(&ALICE);
		let issuance = Balances::total_issuance();
		let patient = register(ALICE);
		assert_ok!(Identity::close_patient(signed(ALICE)));
		assert!(ClosedPatients::<Test>::contains_key(patient));
		assert_eq!(held(ALICE), 0);
		// The mock's price is 100 + 1 per byte; the tombstone is an id and a block number.
		let tombstone = 100 + (PatientId::max_encoded_len() + u64::max_encoded_len()) as u64;
		assert_eq!(Balances::balance(&ALICE), before - tombstone);
		assert_eq!(Balances::total_issuance(), issuance - tombstone);
	})
}

/// Finding 14: any controller could make another account a controller of its identity without
/// that account's consent (and then leave), which barred the account from registering an
/// identity of its own. Now the account must accept.
#[test]
fn finding_14_nobody_becomes_a_controller_without_accepting() {
	ExtBuilder::build_and_execute(|| {
		let patient = register(ALICE);
		assert_ok!(Identity::add_controller(signed(ALICE), BOB));
		System::assert_last_event(
			Event::ControllerInvited { patient, invitee: BOB, replaces: None }.into(),
		);
		// Not a controller yet: Bob can still register his own identity.
		assert_eq!(PatientOf::<Test>::get(BOB), None);
		assert_eq!(Identity::agent(&BOB, &patient), Err(ActForError::NotAuthorized));
		let bobs = register(BOB);
		// Once he controls an identity, the invitation cannot be accepted.
		assert_noop!(
			Identity::accept_controller(signed(BOB), patient),
			Error::<Test>::AlreadyController
		);
		assert_eq!(PatientOf::<Test>::get(BOB), Some(bobs));
		// Only the invitee accepts, only an existing invitation.
		assert_ok!(Identity::add_controller(signed(ALICE), CAROL));
		assert_noop!(
			Identity::accept_controller(signed(DAVE), patient),
			Error::<Test>::NoInvitation
		);
		assert_noop!(Identity::accept_controller(signed(CAROL), bobs), Error::<Test>::NoInvitation);
		assert_ok!(Identity::accept_controller(signed(CAROL), patient));
		System::assert_last_event(Event::ControllerAdded { patient, controller: CAROL }.into());
		assert_eq!(ControllerInvitations::<Test>::get(patient), None);
		// A rotation whose old key was removed meanwhile cannot be accepted.
		assert_ok!(Identity::replace_controller(signed(CAROL), DAVE));
		assert_ok!(Identity::remove_controller(signed(ALICE), CAROL));
		assert_noop!(
			Identity::accept_controller(signed(DAVE), patient),
			Error::<Test>::ControllerNotFound
		);
		// Closing the identity drops its invitation.
		assert_ok!(Identity::close_patient(signed(ALICE)));
		assert_noop!(
			Identity::accept_controller(signed(DAVE), patient),
			Error::<Test>::NoInvitation
		);
	})
}
