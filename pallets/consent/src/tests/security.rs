//! Tests of the findings of the runtime security review (`docs/security.md`), one or more per
//! finding, named after it.

use super::*;
use codec::MaxEncodedLen;

/// Finding 3: the check at a block before the grant was made permitted, because `valid_from`
/// may lie in the past and the index did not know when the grant was made.
#[test]
fn finding_03_a_grant_permits_nothing_before_it_was_granted() {
	ExtBuilder::build_and_execute(|| {
		go_to(20);
		// Valid "from block 0", granted in block 20.
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 0, None);
		let at = |n| EhrConsent::check_access_at(&DOCTOR, &lab_read(), n);
		assert_eq!(at(0), denied(DenialReason::NoConsent));
		assert_eq!(at(19), denied(DenialReason::NoConsent));
		assert_eq!(at(20), by_grant(id));
		assert_eq!(at(21), by_grant(id));
		assert_eq!(stored(id).unwrap().terms.granted_at, 20);
		// With an older grant in force, a newer one does not change the answer for the past.
		go_to(30);
		grant(ALICE, Grantee::Organisation(OrgId(1)), 0, None);
		assert_eq!(at(25), by_grant(id));
		assert_eq!(
			EhrConsent::check_access_at(&NURSE, &lab_read(), 25),
			denied(DenialReason::NoConsent)
		);
	})
}

/// Finding 13: the deposit priced the index entry as a bare `ConsentId` (its version 1 size),
/// though version 2 kept the grant's whole terms there. Since version 3 a grant is stored once,
/// in its grantee's item, and its deposit prices that grant with the item's whole key.
#[test]
fn finding_13_the_consent_deposit_prices_what_a_grant_stores() {
	ExtBuilder::build_and_execute(|| {
		grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		// The mock's price: 10 + 1 per byte. What one grant stores: the grant in the item
		// under (patient, grantee).
		let stored = PatientId::max_encoded_len()
			+ GranteeOf::<Test>::max_encoded_len()
			+ ConsentOf::<Test>::max_encoded_len();
		assert_eq!(held(HoldReason::ConsentDeposit, ALICE), 10 + stored as u64);
	})
}

/// Finding 10: the break-glass limit counted per fixed period from the first opening, so twice
/// the limit fitted into two blocks across the period's edge. Now it holds over any
/// `EmergencyRatePeriod` consecutive blocks.
#[test]
fn finding_10_the_break_glass_limit_holds_over_any_period() {
	ExtBuilder::build_and_execute(|| {
		for n in 2..=5 {
			TestPatients::register(patient_id(n), STRANGER);
		}
		let open =
			|n: u8| EhrConsent::open_emergency_access(signed(DOCTOR), patient_id(n), [n; 32]);
		// Block 1 starts what used to be the fixed period; the limit is 2 per 100 blocks.
		assert_ok!(open(1));
		go_to(EMERGENCY_PERIOD);
		assert_ok!(open(2));
		// Block 101: the opening of block 1 is out of the last 100 blocks, the one of block 100
		// is not, so one more fits and a second does not.
		go_to(1 + EMERGENCY_PERIOD);
		assert_ok!(open(3));
		assert_noop!(open(4), Error::<Test>::EmergencyRateLimited);
		assert_eq!(
			EmergencyRates::<Test>::get(DOCTOR).into_inner(),
			vec![EMERGENCY_PERIOD, 1 + EMERGENCY_PERIOD]
		);
		// Once the opening of block 100 is 100 blocks old, one more fits.
		go_to(2 * EMERGENCY_PERIOD);
		assert_ok!(open(4));
		assert_noop!(open(5), Error::<Test>::EmergencyRateLimited);
	})
}

/// Finding 15: the deposit of an open-ended grant made by a guardian (or a controller key
/// that was later removed) stayed held from it for as long as the grant lived. A current
/// controller or guardian can now take the deposit over; the grant stays in force.
#[test]
fn finding_15_a_former_guardian_gets_its_grant_deposit_back() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(GUARDIAN, Grantee::Provider(DOCTOR), 1, None);
		let deposit = held(HoldReason::ConsentDeposit, GUARDIAN);
		assert!(deposit > 0);
		go_to(GUARDIAN_UNTIL);
		// The guardian's term is over: it cannot act for the patient any more.
		assert_noop!(revoke(GUARDIAN, id), not_agent(ActForError::NotAuthorized));
		assert_noop!(take_over(STRANGER, id), not_agent(ActForError::NotAuthorized));
		assert_noop!(
			take_over(ALICE, missing(Grantee::Provider(DOCTOR))),
			Error::<Test>::ConsentNotFound
		);
		assert_ok!(take_over(ALICE, id));
		System::assert_last_event(
			Event::ConsentDepositTakenOver {
				consent_id: id.id,
				patient: patient(),
				grantee: id.grantee,
				from: GUARDIAN,
				to: ALICE,
			}
			.into(),
		);
		assert_eq!(held(HoldReason::ConsentDeposit, GUARDIAN), 0);
		assert_eq!(held(HoldReason::ConsentDeposit, ALICE), deposit);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		assert_noop!(take_over(ALICE, id), Error::<Test>::AlreadyDepositor);
		// An ended grant is reaped instead, which releases its deposit.
		let ended = grant(ALICE, Grantee::Provider(NURSE), 1, None);
		assert_ok!(revoke(ALICE, ended));
		TestPatients::add_guardian(patient(), STRANGER, None);
		assert_noop!(take_over(STRANGER, ended), Error::<Test>::ConsentEnded);
	})
}

/// Finding 12 (the part the chain can enforce): a justification is a salted commitment, built
/// with `ehr_primitives::hashing::justification_commitment`; an all-zero value is no commitment
/// and is refused. (Whether a commitment is salted cannot be seen on chain; see
/// `docs/security.md`.)
#[test]
fn finding_12_a_justification_is_a_salted_commitment() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [0; 32]),
			Error::<Test>::InvalidJustification
		);
		let commitment = ehr_primitives::hashing::justification_commitment(
			&[9; 32],
			b"unconscious patient in the emergency department",
		);
		assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient(), commitment));
	})
}

/// A grant of laboratory reads for `purposes`, admitting `roles`.
fn grant_roles(grantee: Grantee<u64>, purposes: Purposes, roles: ProviderRoles) -> DispatchResult {
	EhrConsent::grant_consent(
		signed(ALICE),
		patient(),
		grantee,
		labs(),
		read(),
		purposes,
		roles,
		1,
		None,
	)
}

/// Finding 16: a grant to an organisation admitted every role, so a researcher or an
/// administrator had a physician's access for treatment. Now a grant names the roles it
/// admits (FHIR `provision.actor.role`) and the check enforces them.
#[test]
fn finding_16_an_organisation_grant_admits_only_the_roles_it_names() {
	ExtBuilder::build_and_execute(|| {
		const RESEARCHER: u64 = 12;
		const ADMINISTRATOR: u64 = 13;
		const CLAIMS_REVIEWER: u64 = 30;
		TestProviders::accredit(RESEARCHER, OrgId(1), ProviderRole::Researcher);
		TestProviders::accredit(ADMINISTRATOR, OrgId(1), ProviderRole::Administrator);
		TestProviders::accredit(CLAIMS_REVIEWER, OrgId(3), ProviderRole::ClaimsReviewer);
		assert_ok!(grant_roles(
			Grantee::Organisation(OrgId(1)),
			treatment(),
			ProviderRoles::CLINICAL
		));
		let id = newest(Grantee::Organisation(OrgId(1)));
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		assert_eq!(EhrConsent::check_access(&NURSE, &lab_read()), by_grant(id));
		for outsider in [RESEARCHER, ADMINISTRATOR] {
			assert_eq!(
				EhrConsent::check_access(&outsider, &lab_read()),
				denied(DenialReason::OutOfScope)
			);
		}
		// An insurer's claims reviewer, for payment only.
		let payment = request(DataCategory::Laboratory, Action::Read, PurposeOfUse::Payment);
		assert_ok!(grant_roles(
			Grantee::Organisation(OrgId(3)),
			PurposeOfUse::Payment.into(),
			ProviderRole::ClaimsReviewer.into()
		));
		let id = newest(Grantee::Organisation(OrgId(3)));
		assert_eq!(EhrConsent::check_access(&CLAIMS_REVIEWER, &payment), by_grant(id));
		assert_eq!(
			EhrConsent::check_access(&CLAIMS_REVIEWER, &lab_read()),
			denied(DenialReason::OutOfScope)
		);
	})
}

/// Finding 16: the roles of a grant are checked when it is made: none, unknown bits, or a
/// grant to one provider that leaves out that provider's own role.
#[test]
fn finding_16_a_grant_names_valid_roles_that_admit_its_provider() {
	ExtBuilder::build_and_execute(|| {
		let doctor = Grantee::Provider(DOCTOR);
		assert_noop!(
			grant_roles(doctor, treatment(), ProviderRoles::EMPTY),
			Error::<Test>::InvalidRoles
		);
		assert_noop!(
			grant_roles(doctor, treatment(), ProviderRoles(1 << 9)),
			Error::<Test>::InvalidRoles
		);
		assert_noop!(
			grant_roles(doctor, treatment(), ProviderRole::Nurse.into()),
			Error::<Test>::RoleNotAdmitted
		);
		assert_ok!(grant_roles(doctor, treatment(), ProviderRole::Physician.into()));
	})
}

/// Finding 16: a grant to one provider outlived the provider's membership: revoked and later
/// accredited again (here by another organisation), it regained the patient's grant. Now the
/// grant ends when the provider leaves, anyone may reap it, and its deposit goes back.
#[test]
fn finding_16_a_grant_to_a_provider_ends_when_it_leaves_the_organisation() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		// Still in force, so nobody may reap it.
		assert_noop!(reap(STRANGER, id), Error::<Test>::NotEnded);
		// The physician leaves organisation 1 and joins organisation 2.
		TestProviders::revoke(DOCTOR);
		go_to(5);
		TestProviders::accredit(DOCTOR, OrgId(2), ProviderRole::Physician);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::GranteeLeftOrganisation)
		);
		// The check judges a provider as it is now, also for earlier blocks; what was decided
		// then is in the audit trail.
		assert_eq!(
			EhrConsent::check_access_at(&DOCTOR, &lab_read(), 1),
			denied(DenialReason::GranteeLeftOrganisation)
		);
		assert_noop!(take_over(GUARDIAN, id), Error::<Test>::ConsentEnded);
		assert_ok!(reap(STRANGER, id));
		assert!(stored(id).is_none());
		assert_eq!(held(HoldReason::ConsentDeposit, ALICE), 0);
	})
}
