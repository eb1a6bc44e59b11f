//! Tests of `anchor_record`: new records, amendments and who may write.

use super::*;

#[test]
fn a_provider_with_a_write_consent_anchors_a_record() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		go_to(5);
		let id = anchor(DOCTOR, 1, None);

		let record = Records::<Test>::get(patient(), id).unwrap();
		assert_eq!(record.category, lab());
		assert_eq!(record.digest, digest(1));
		assert_eq!(id, EhrRecords::record_id(&digest(1)));
		assert_eq!(record.locator, Some(LOCATOR));
		assert_eq!((record.author, record.organisation), (DOCTOR, Some(OrgId(0))));
		assert_eq!((record.anchored_at, record.timestamp), (5, 5 * BLOCK_MS));
		assert_eq!(
			record.version,
			Version { chain: id, number: 1, predecessor: None, successor: None }
		);
		assert_eq!(record.status, RecordStatus::Active);
		assert!(held(DOCTOR) > 0);
		assert_eq!(Records::<Test>::iter_key_prefix(patient()).collect::<Vec<_>>(), [id]);

		let view = EhrRecords::verify_digest(patient(), digest(1)).unwrap();
		assert_eq!((view.id, view.latest, view.status), (id, id, RecordStatus::Active));
		assert_eq!(EhrRecords::verify_digest(patient(), digest(2)), None);

		System::assert_last_event(
			Event::RecordAnchored {
				record: id,
				patient: patient(),
				category: lab(),
				digest: digest(1),
				author: DOCTOR,
				organisation: Some(OrgId(0)),
				predecessor: None,
				version: 1,
			}
			.into(),
		);
		let entry = last_entry();
		assert_eq!(entry.action, AuditAction::RecordAnchored);
		assert_eq!(entry.actor, AuditActor::Account(DOCTOR));
		assert_eq!(entry.organisation, Some(OrgId(0)));
		assert_eq!(entry.entity, AuditEntity::Record(id));
		assert_eq!(entry.purpose, Some(TREAT));
		assert_eq!(entry.outcome, AuditOutcome::Success);
	});
}

#[test]
fn the_patient_side_anchors_without_a_consent() {
	ExtBuilder::build_and_execute(|| {
		let by_alice = anchor(ALICE, 1, None);
		let by_guardian = anchor(GUARDIAN, 2, None);
		assert_eq!(Records::<Test>::get(patient(), by_alice).unwrap().organisation, None);
		assert_eq!(Records::<Test>::get(patient(), by_guardian).unwrap().author, GUARDIAN);
		assert_eq!(Records::<Test>::iter_key_prefix(patient()).count(), 2);
	});
}

#[test]
fn writes_need_a_consent_in_force() {
	ExtBuilder::build_and_execute(|| {
		// Nobody for the patient, no provider.
		assert_noop!(anchor_call(STRANGER, digest(1), None), Error::<Test>::NotAuthorized);
		// A provider without any grant.
		assert_noop!(
			anchor_call(DOCTOR, digest(1), None),
			Error::<Test>::WriteDenied(DenialReason::NoConsent)
		);
		// A read-only grant does not cover a write.
		grant_to(Grantee::Provider(DOCTOR), lab_set(), Action::Read.into(), TREAT.into(), 0, None);
		assert_noop!(
			anchor_call(DOCTOR, digest(1), None),
			Error::<Test>::WriteDenied(DenialReason::OutOfScope)
		);
		// A write grant for another purpose does not either.
		grant_to(
			Grantee::Provider(NURSE),
			lab_set(),
			Actions::ALL,
			PurposeOfUse::Research.into(),
			0,
			None,
		);
		assert_noop!(
			anchor_call(NURSE, digest(1), None),
			Error::<Test>::WriteDenied(DenialReason::OutOfScope)
		);
		// Not yet valid, then valid.
		grant_to(
			Grantee::Provider(OTHER_DOCTOR),
			lab_set(),
			Actions::ALL,
			TREAT.into(),
			10,
			Some(20),
		);
		assert_noop!(
			anchor_call(OTHER_DOCTOR, digest(1), None),
			Error::<Test>::WriteDenied(DenialReason::ConsentNotYetValid)
		);
		go_to(10);
		assert_ok!(anchor_call(OTHER_DOCTOR, digest(1), None));
		// Expired after its last block.
		go_to(21);
		assert_noop!(
			anchor_call(OTHER_DOCTOR, digest(2), None),
			Error::<Test>::WriteDenied(DenialReason::ConsentExpired)
		);
	});
}

#[test]
fn a_revoked_consent_stops_writes_from_its_block_on() {
	ExtBuilder::build_and_execute(|| {
		let id = grant_org0();
		anchor(DOCTOR, 1, None);
		assert_ok!(Consent::revoke_consent(
			RuntimeOrigin::signed(ALICE),
			patient(),
			Grantee::Organisation(OrgId(0)),
			id
		));
		assert_noop!(
			anchor_call(DOCTOR, digest(2), None),
			Error::<Test>::WriteDenied(DenialReason::ConsentRevoked)
		);
	});
}

#[test]
fn a_suspended_provider_cannot_write() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		assert_ok!(Identity::suspend_provider(RuntimeOrigin::root(), DOCTOR));
		assert_noop!(anchor_call(DOCTOR, digest(1), None), Error::<Test>::NotAuthorized);
	});
}

#[test]
fn an_emergency_window_permits_writes_and_reads_for_emergency_treatment_only() {
	ExtBuilder::build_and_execute(|| {
		assert_ok!(Consent::open_emergency_access(
			RuntimeOrigin::signed(OTHER_DOCTOR),
			patient(),
			[1; 32]
		));
		let etreat = PurposeOfUse::EmergencyTreatment;
		let call = |d, purpose| {
			EhrRecords::anchor_record(
				RuntimeOrigin::signed(OTHER_DOCTOR),
				patient(),
				lab(),
				d,
				None,
				None,
				purpose,
			)
		};
		assert_noop!(call(digest(1), TREAT), Error::<Test>::WriteDenied(DenialReason::NoConsent));
		assert_ok!(call(digest(1), etreat));
		let id = EhrRecords::record_id(&digest(1));
		assert_ok!(EhrRecords::record_access(
			RuntimeOrigin::signed(OTHER_DOCTOR),
			patient(),
			id,
			etreat
		));
		assert_eq!(last_entry().outcome, AuditOutcome::Success);
		// After the window, the same access is denied (and recorded).
		go_to(1 + EMERGENCY_DURATION);
		assert_ok!(EhrRecords::record_access(
			RuntimeOrigin::signed(OTHER_DOCTOR),
			patient(),
			id,
			etreat
		));
		assert_eq!(last_entry().outcome, AuditOutcome::Denied(DenialReason::NoConsent));
		assert_noop!(call(digest(2), etreat), Error::<Test>::WriteDenied(DenialReason::NoConsent));
	});
}

#[test]
fn a_closed_or_unknown_identity_takes_no_records() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let unknown = ehr_primitives::testing::patient_id(0xee);
		assert_noop!(
			EhrRecords::anchor_record(
				RuntimeOrigin::signed(DOCTOR),
				unknown,
				lab(),
				digest(1),
				None,
				None,
				TREAT
			),
			pallet_ehr_identity::Error::<Test>::PatientNotFound
		);
		assert_ok!(Identity::close_patient(RuntimeOrigin::signed(ALICE)));
		assert_noop!(
			anchor_call(DOCTOR, digest(1), None),
			pallet_ehr_identity::Error::<Test>::PatientClosed
		);
		assert_noop!(
			anchor_call(ALICE, digest(1), None),
			pallet_ehr_identity::Error::<Test>::PatientClosed
		);
	});
}

#[test]
fn digests_are_anchored_once_and_never_all_zero() {
	ExtBuilder::build_and_execute(|| {
		anchor(ALICE, 1, None);
		assert_noop!(anchor_call(ALICE, digest(1), None), Error::<Test>::DigestAlreadyAnchored);
		// The same hash under another algorithm is another digest.
		let other = Digest { algorithm: DigestAlgorithm::Blake2b256, ..digest(1) };
		assert_ok!(anchor_call(ALICE, other, None));
		let zero = Digest { algorithm: DigestAlgorithm::Sha2_256, hash: [0; 32] };
		assert_noop!(anchor_call(ALICE, zero, None), Error::<Test>::InvalidDigest);
	});
}

#[test]
fn a_record_id_taken_by_another_digest_is_refused() {
	// Ids are eight bytes of a hash of the digest: a collision between two digests of one
	// patient (about 2^-64 per pair) cannot be found for a test, so one is planted: the
	// record of document 1 is moved under document 2's id. (Without `try_state`, which
	// rightly rejects a record not keyed by its digest's id.)
	ExtBuilder::build().execute_with(|| {
		let id = anchor(ALICE, 1, None);
		let planted = EhrRecords::record_id(&digest(2));
		let record = Records::<Test>::take(patient(), id).unwrap();
		Records::<Test>::insert(patient(), planted, record);
		assert_noop!(anchor_call(ALICE, digest(2), None), Error::<Test>::RecordIdTaken);
		// Another patient's records do not collide: ids are per patient.
		assert_ok!(EhrRecords::anchor_record(
			RuntimeOrigin::signed(BOB),
			bobs_patient(),
			lab(),
			digest(2),
			None,
			None,
			TREAT
		));
	});
}

#[test]
fn amendments_make_a_version_chain_with_a_latest_version() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let v1 = anchor(DOCTOR, 1, None);
		go_to(2);
		let v2 = anchor(NURSE, 2, Some(v1));
		let v3 = anchor(ALICE, 3, Some(v2));

		let r2 = Records::<Test>::get(patient(), v2).unwrap();
		assert_eq!(
			r2.version,
			Version { chain: v1, number: 2, predecessor: Some(v1), successor: Some(v3) }
		);
		assert_eq!(Records::<Test>::get(patient(), v1).unwrap().version.successor, Some(v2));
		assert_eq!(EhrRecords::latest_version(patient(), v1).unwrap().id, v3);
		assert_eq!(EhrRecords::latest_version(patient(), v3).unwrap().id, v3);
		let old = EhrRecords::verify_digest(patient(), digest(1)).unwrap();
		assert_eq!((old.id, old.latest, old.version.number), (v1, v3, 1));
		assert_eq!(EhrRecords::verify_digest(patient(), digest(3)).unwrap().version.number, 3);

		let actions: Vec<_> = trail(patient()).iter().map(|e| e.action).collect();
		assert_eq!(
			actions[actions.len() - 3..],
			[AuditAction::RecordAnchored, AuditAction::RecordAmended, AuditAction::RecordAmended]
		);
		System::assert_last_event(
			Event::RecordAnchored {
				record: v3,
				patient: patient(),
				category: lab(),
				digest: digest(3),
				author: ALICE,
				organisation: None,
				predecessor: Some(v2),
				version: 3,
			}
			.into(),
		);
	});
}

#[test]
fn only_the_latest_active_version_of_the_same_patient_and_category_can_be_amended() {
	ExtBuilder::build_and_execute(|| {
		let v1 = anchor(ALICE, 1, None);
		let v2 = anchor(ALICE, 2, Some(v1));
		assert_noop!(
			anchor_call(ALICE, digest(3), Some(RecordId(99))),
			Error::<Test>::PredecessorNotFound
		);
		assert_noop!(anchor_call(ALICE, digest(3), Some(v1)), Error::<Test>::NotLatestVersion);
		assert_noop!(
			EhrRecords::anchor_record(
				RuntimeOrigin::signed(ALICE),
				patient(),
				ehr_primitives::testing::tag(&patient(), DataCategory::Imaging),
				digest(3),
				None,
				Some(v2),
				TREAT
			),
			Error::<Test>::CategoryMismatch
		);
		assert_ok!(EhrRecords::anchor_record(
			RuntimeOrigin::signed(BOB),
			bobs_patient(),
			lab(),
			digest(4),
			None,
			None,
			TREAT
		));
		// Bob's patient's record is not found under Alice's patient.
		let bobs = EhrRecords::record_id(&digest(4));
		assert!(Records::<Test>::contains_key(bobs_patient(), bobs));
		assert_noop!(anchor_call(ALICE, digest(3), Some(bobs)), Error::<Test>::PredecessorNotFound);

		assert_ok!(EhrRecords::retract_record(RuntimeOrigin::signed(ALICE), patient(), v2));
		assert_noop!(anchor_call(ALICE, digest(3), Some(v2)), Error::<Test>::RecordNotActive);
		let other = anchor(ALICE, 5, None);
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), patient(), other));
		assert_noop!(anchor_call(ALICE, digest(3), Some(other)), Error::<Test>::RecordNotActive);
	});
	ExtBuilder::build().execute_with(|| {
		let v1 = anchor(ALICE, 1, None);
		Records::<Test>::mutate(patient(), v1, |r| r.as_mut().unwrap().version.number = u32::MAX);
		assert_noop!(anchor_call(ALICE, digest(2), Some(v1)), Error::<Test>::TooManyVersions);
	});
}

#[test]
fn record_ids_follow_the_published_derivation() {
	// The vector `e2e/lib/ehr.js` `recordIdOf` reproduces: the first eight bytes of
	// BLAKE2b-256("ehr/record-id/v1" ‖ SCALE(digest)), little-endian.
	let d = Digest { algorithm: DigestAlgorithm::Sha2_256, hash: [0x11; 32] };
	assert_eq!(EhrRecords::record_id(&d), RecordId(15_081_788_516_927_260_223));
	let other = Digest { algorithm: DigestAlgorithm::Blake2b256, ..d };
	assert_ne!(EhrRecords::record_id(&other), EhrRecords::record_id(&d));
}

fn new_record(n: u8, predecessor: Option<RecordId>) -> NewRecord {
	NewRecord {
		patient: patient(),
		category: lab(),
		digest: digest(n),
		locator: Some(LOCATOR),
		predecessor,
		purpose: TREAT,
	}
}

fn anchor_in_bulk(who: u64, records: Vec<NewRecord>) -> DispatchResult {
	EhrRecords::anchor_records(RuntimeOrigin::signed(who), records.try_into().unwrap())
}

/// Issue 18: a document store anchors many documents in one extrinsic; each is checked,
/// charged and audited exactly as `anchor_record` does it, in order, so a document may amend
/// one anchored earlier in the same call.
#[test]
fn bulk_anchors_are_each_anchored_as_one_anchor_is() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let before = trail(patient()).len();
		let first = EhrRecords::record_id(&digest(1));
		assert_ok!(anchor_in_bulk(
			DOCTOR,
			vec![new_record(1, None), new_record(2, None), new_record(3, Some(first))]
		));
		let (second, third) =
			(EhrRecords::record_id(&digest(2)), EhrRecords::record_id(&digest(3)));
		assert_eq!(held(DOCTOR), 3 * (10 + EhrRecords::record_footprint().size));
		let v1 = Records::<Test>::get(patient(), first).unwrap();
		assert_eq!(v1.version.successor, Some(third));
		assert_eq!(Records::<Test>::get(patient(), third).unwrap().version.number, 2);
		assert_eq!(Records::<Test>::get(patient(), second).unwrap().author, DOCTOR);
		let actions: Vec<_> = trail(patient()).into_iter().skip(before).map(|e| e.action).collect();
		assert_eq!(
			actions,
			[AuditAction::RecordAnchored, AuditAction::RecordAnchored, AuditAction::RecordAmended]
		);
		let anchored: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::EhrRecords(Event::RecordAnchored { record, .. }) => Some(record),
				_ => None,
			})
			.collect();
		assert_eq!(anchored, [first, second, third]);
	})
}

#[test]
fn a_bulk_anchoring_with_a_refused_document_anchors_none() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		anchor(DOCTOR, 9, None);
		assert_noop!(anchor_in_bulk(DOCTOR, vec![]), Error::<Test>::NoRecords);
		// The third repeats a digest already anchored: the two before it are not kept.
		assert_noop!(
			anchor_in_bulk(
				DOCTOR,
				vec![new_record(1, None), new_record(2, None), new_record(9, None)]
			),
			Error::<Test>::DigestAlreadyAnchored
		);
		// The same digest twice in one call.
		assert_noop!(
			anchor_in_bulk(DOCTOR, vec![new_record(1, None), new_record(1, None)]),
			Error::<Test>::DigestAlreadyAnchored
		);
		// No consent for the second patient's record.
		let bobs = NewRecord { patient: bobs_patient(), ..new_record(2, None) };
		assert_noop!(
			anchor_in_bulk(DOCTOR, vec![new_record(1, None), bobs]),
			Error::<Test>::WriteDenied(DenialReason::NoConsent)
		);
		assert_noop!(
			anchor_in_bulk(DOCTOR, vec![new_record(1, Some(RecordId(5)))]),
			Error::<Test>::PredecessorNotFound
		);
		assert_noop!(
			EhrRecords::anchor_records(
				RuntimeOrigin::none(),
				vec![new_record(1, None)].try_into().unwrap()
			),
			DispatchError::BadOrigin
		);
		assert_eq!(held(DOCTOR), 10 + EhrRecords::record_footprint().size);
	})
}
