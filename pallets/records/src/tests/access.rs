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

/// What an access leaves in a trail, without its place and time.
fn access_entries(
	patient: PatientId,
	from: usize,
) -> Vec<(AuditActor<u64>, Option<OrgId>, AuditAction, Option<PurposeOfUse>, AuditOutcome)> {
	Audit::trail_entries(patient, 0, 100)
		.into_iter()
		.skip(from)
		.map(|e| (e.actor, e.organisation, e.action, e.purpose, e.outcome))
		.collect()
}

/// Issue 18: a document store declares many reads in one extrinsic; each is checked and
/// audited exactly as `record_access` checks and audits it, with the same events.
#[test]
fn bulk_accesses_are_each_checked_and_audited_as_one_access_is() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let a = anchor(ALICE, 1, None);
		let b = anchor(ALICE, 2, None);
		assert_ok!(EhrRecords::anchor_record(
			RuntimeOrigin::signed(BOB),
			bobs_patient(),
			lab(),
			digest(3),
			Some(LOCATOR),
			None,
			TREAT
		));
		let c = EhrRecords::record_id(&digest(3));
		go_to(2);
		// Permitted; out of scope (no grant for payment); no consent at all (Bob's patient).
		let items = [
			DeclaredAccess { patient: patient(), record: a, purpose: TREAT },
			DeclaredAccess { patient: patient(), record: b, purpose: PurposeOfUse::Payment },
			DeclaredAccess { patient: bobs_patient(), record: c, purpose: TREAT },
		];
		let (mine, bobs) = (trail(patient()).len(), trail(bobs_patient()).len());
		for item in items {
			assert_ok!(EhrRecords::record_access(
				RuntimeOrigin::signed(DOCTOR),
				item.patient,
				item.record,
				item.purpose
			));
		}
		let one_by_one = (access_entries(patient(), mine), access_entries(bobs_patient(), bobs));
		let events_one_by_one: Vec<_> = System::events()
			.into_iter()
			.filter(|r| matches!(r.event, RuntimeEvent::EhrRecords(Event::RecordAccessed { .. })))
			.map(|r| r.event)
			.collect();
		System::reset_events();

		let (mine, bobs) = (trail(patient()).len(), trail(bobs_patient()).len());
		assert_ok!(EhrRecords::record_accesses(
			RuntimeOrigin::signed(DOCTOR),
			items.to_vec().try_into().unwrap()
		));
		let in_bulk = (access_entries(patient(), mine), access_entries(bobs_patient(), bobs));
		assert_eq!(in_bulk, one_by_one);
		let outcomes: Vec<_> = in_bulk.0.iter().chain(&in_bulk.1).map(|e| e.4).collect();
		assert_eq!(
			outcomes,
			[
				AuditOutcome::Success,
				AuditOutcome::Denied(DenialReason::OutOfScope),
				AuditOutcome::Denied(DenialReason::NoConsent)
			]
		);
		let events_in_bulk: Vec<_> = System::events()
			.into_iter()
			.filter(|r| matches!(r.event, RuntimeEvent::EhrRecords(Event::RecordAccessed { .. })))
			.map(|r| r.event)
			.collect();
		assert_eq!(events_in_bulk, events_one_by_one);
	})
}

#[test]
fn a_bulk_declaration_with_a_bad_access_records_none() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let a = anchor(ALICE, 1, None);
		let gone = anchor(ALICE, 2, None);
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), patient(), gone));
		let ok = DeclaredAccess { patient: patient(), record: a, purpose: TREAT };
		let bulk = |who: u64, items: Vec<DeclaredAccess>| {
			EhrRecords::record_accesses(RuntimeOrigin::signed(who), items.try_into().unwrap())
		};
		assert_noop!(bulk(DOCTOR, vec![]), Error::<Test>::NoAccesses);
		assert_noop!(bulk(STRANGER, vec![ok]), Error::<Test>::NotAccredited);
		// The first two are fine and would be audited first: nothing is kept.
		let missing = DeclaredAccess { record: RecordId(424242), ..ok };
		assert_noop!(bulk(DOCTOR, vec![ok, ok, missing]), Error::<Test>::AccessedRecordNotFound(2));
		let erased = DeclaredAccess { record: gone, ..ok };
		assert_noop!(bulk(DOCTOR, vec![erased, ok]), Error::<Test>::AccessedRecordErased(0));
		// Another patient's record under this patient is not found either.
		assert_noop!(
			bulk(DOCTOR, vec![DeclaredAccess { patient: bobs_patient(), ..ok }]),
			Error::<Test>::AccessedRecordNotFound(0)
		);
		assert_noop!(
			EhrRecords::record_accesses(RuntimeOrigin::none(), vec![ok].try_into().unwrap()),
			DispatchError::BadOrigin
		);
		assert_ok!(bulk(DOCTOR, vec![ok; MAX_BULK as usize]));
	})
}
