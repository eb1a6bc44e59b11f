//! Tests of `record_access` and the audit trail it writes.

use super::*;

#[test]
fn accesses_are_audited_with_their_outcome_and_denied_ones_still_succeed() {
	ExtBuilder::build_and_execute(|| {
		let grant = grant_org0();
		let id = anchor(ALICE, 1, None);
		let access =
			|who| EhrRecords::record_access(RuntimeOrigin::signed(who), patient(), id, TREAT);

		go_to(2);
		assert_ok!(access(DOCTOR));
		System::assert_last_event(
			Event::RecordAccessed {
				record: id,
				patient: patient(),
				accessor: DOCTOR,
				purpose: TREAT,
				outcome: AuditOutcome::Success,
			}
			.into(),
		);
		let entry = last_entry();
		assert_eq!(entry.action, AuditAction::RecordAccessed);
		assert_eq!(
			(entry.actor, entry.organisation),
			(AuditActor::Account(DOCTOR), Some(OrgId(0)))
		);
		assert_eq!((entry.purpose, entry.outcome), (Some(TREAT), AuditOutcome::Success));

		// No consent for organisation 1: denied, recorded, and the call still succeeds.
		assert_ok!(access(OTHER_DOCTOR));
		assert_eq!(last_entry().outcome, AuditOutcome::Denied(DenialReason::NoConsent));
		// Another purpose than granted.
		assert_ok!(EhrRecords::record_access(
			RuntimeOrigin::signed(DOCTOR),
			patient(),
			id,
			PurposeOfUse::Payment
		));
		assert_eq!(last_entry().outcome, AuditOutcome::Denied(DenialReason::OutOfScope));
		// Revoked.
		go_to(3);
		assert_ok!(Consent::revoke_consent(
			RuntimeOrigin::signed(ALICE),
			patient(),
			Grantee::Organisation(OrgId(0)),
			grant
		));
		assert_ok!(access(NURSE));
		assert_eq!(last_entry().outcome, AuditOutcome::Denied(DenialReason::ConsentRevoked));
		System::assert_last_event(
			Event::RecordAccessed {
				record: id,
				patient: patient(),
				accessor: NURSE,
				purpose: TREAT,
				outcome: AuditOutcome::Denied(DenialReason::ConsentRevoked),
			}
			.into(),
		);
		// An expired grant (organisation 1 has no other).
		grant_to(
			Grantee::Provider(OTHER_DOCTOR),
			lab_set(),
			Actions::ALL,
			TREAT.into(),
			0,
			Some(5),
		);
		go_to(6);
		assert_ok!(access(OTHER_DOCTOR));
		assert_eq!(last_entry().outcome, AuditOutcome::Denied(DenialReason::ConsentExpired));
		// A closed identity.
		assert_ok!(Identity::close_patient(RuntimeOrigin::signed(ALICE)));
		assert_ok!(access(DOCTOR));
		assert_eq!(last_entry().outcome, AuditOutcome::Denied(DenialReason::PatientClosed));

		assert_noop!(
			EhrRecords::record_access(RuntimeOrigin::signed(DOCTOR), patient(), RecordId(9), TREAT),
			Error::<Test>::RecordNotFound
		);
		// The accounting of disclosures lists the one successful access.
		let page = Audit::disclosures(patient(), 0, u64::MAX, None, 50);
		assert_eq!(page.items.len(), 1);
		assert_eq!(page.items[0].actor, AuditActor::Account(DOCTOR));
	});
}

#[test]
fn the_whole_story_is_in_a_verifiable_trail() {
	ExtBuilder::build_and_execute(|| {
		let grant = grant_org0();
		let v1 = anchor(DOCTOR, 1, None);
		let v2 = anchor(DOCTOR, 2, Some(v1));
		assert_ok!(EhrRecords::record_access(RuntimeOrigin::signed(NURSE), patient(), v2, TREAT));
		assert_ok!(EhrRecords::retract_record(RuntimeOrigin::signed(NURSE), patient(), v1));
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), patient(), v1));
		assert_ok!(Consent::revoke_consent(
			RuntimeOrigin::signed(ALICE),
			patient(),
			Grantee::Organisation(OrgId(0)),
			grant
		));
		assert_ok!(EhrRecords::record_access(RuntimeOrigin::signed(NURSE), patient(), v2, TREAT));

		let entries = trail(patient());
		let summary: Vec<_> = entries.iter().map(|e| (e.action, e.entity, e.outcome)).collect();
		use AuditAction::*;
		let ok = AuditOutcome::Success;
		assert_eq!(
			summary[summary.len() - 8..],
			[
				(ConsentGranted, AuditEntity::Consent(grant), ok),
				(RecordAnchored, AuditEntity::Record(v1), ok),
				(RecordAmended, AuditEntity::Record(v2), ok),
				(RecordAccessed, AuditEntity::Record(v2), ok),
				(RecordRetracted, AuditEntity::Record(v1), ok),
				(RecordErased, AuditEntity::Record(v1), ok),
				(ConsentRevoked, AuditEntity::Consent(grant), ok),
				(
					RecordAccessed,
					AuditEntity::Record(v2),
					AuditOutcome::Denied(DenialReason::ConsentRevoked)
				),
			]
		);
		let head = Audit::trail_head(patient()).unwrap();
		assert_eq!(head.count, entries.len() as u64);
		assert_eq!(
			pallet_ehr_audit::fold_chain(pallet_ehr_audit::genesis_head(&patient()), &entries),
			head.head
		);
	});
}
