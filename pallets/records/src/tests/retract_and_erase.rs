//! Tests of `retract_record`, `erase_record` and `erase_patient_records`.

use super::*;

#[test]
fn the_authors_organisation_retracts_a_record() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let id = anchor(DOCTOR, 1, None);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(STRANGER), patient(), id),
			Error::<Test>::NotAccredited
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(OTHER_DOCTOR), patient(), id),
			Error::<Test>::NotAuthorOrganisation
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(ALICE), patient(), id),
			Error::<Test>::NotAccredited
		);
		go_to(3);
		// Another provider of the same organisation may.
		assert_ok!(EhrRecords::retract_record(RuntimeOrigin::signed(NURSE), patient(), id));
		assert_eq!(
			Records::<Test>::get(patient(), id).unwrap().status,
			RecordStatus::Retracted { at: 3 }
		);
		// It still verifies, as retracted.
		assert_eq!(
			EhrRecords::verify_digest(patient(), digest(1)).unwrap().status,
			RecordStatus::Retracted { at: 3 }
		);
		System::assert_last_event(
			Event::RecordRetracted { record: id, patient: patient(), retracted_by: NURSE }.into(),
		);
		let entry = last_entry();
		assert_eq!(
			(entry.action, entry.organisation),
			(AuditAction::RecordRetracted, Some(OrgId(0)))
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(DOCTOR), patient(), id),
			Error::<Test>::AlreadyRetracted
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(DOCTOR), patient(), RecordId(9)),
			Error::<Test>::RecordNotFound
		);
	});
}

#[test]
fn the_patient_side_retracts_its_own_records_only() {
	ExtBuilder::build_and_execute(|| {
		let id = anchor(ALICE, 1, None);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(STRANGER), patient(), id),
			pallet_ehr_identity::Error::<Test>::NotAuthorized
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(DOCTOR), patient(), id),
			pallet_ehr_identity::Error::<Test>::NotAuthorized
		);
		assert_ok!(EhrRecords::retract_record(RuntimeOrigin::signed(GUARDIAN), patient(), id));
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), patient(), id));
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(ALICE), patient(), id),
			Error::<Test>::RecordErased
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::none(), patient(), id),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn erasure_leaves_a_tombstone_and_releases_the_deposit() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let v1 = anchor(DOCTOR, 1, None);
		let v2 = anchor(DOCTOR, 2, Some(v1));
		let v3 = anchor(DOCTOR, 3, Some(v2));
		let per_record = held(DOCTOR) / 3;
		assert_noop!(
			EhrRecords::erase_record(RuntimeOrigin::signed(DOCTOR), patient(), v2),
			pallet_ehr_identity::Error::<Test>::NotAuthorized
		);
		assert_noop!(
			EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), patient(), RecordId(9)),
			Error::<Test>::RecordNotFound
		);

		go_to(4);
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(GUARDIAN), patient(), v2));
		// Only the tombstone is left: the patient, the version links and the erasure block.
		assert!(!Records::<Test>::contains_key(patient(), v2));
		let tombstone = Tombstones::<Test>::get(patient(), v2).unwrap();
		assert_eq!(tombstone, Tombstone { version: tombstone.version, erased_at: 4 });
		let view = EhrRecords::record(patient(), v2).unwrap();
		assert_eq!(view.status, RecordStatus::Erased { at: 4 });
		assert_eq!(
			(view.category, view.digest, view.locator, view.author, view.organisation),
			(None, None, None, None, None),
			"nothing says what the record was about or who wrote it"
		);
		assert_eq!((view.anchored_at, view.timestamp), (None, None));
		// The chain keeps its links through the tombstone.
		assert_eq!(tombstone.version.predecessor, Some(v1));
		assert_eq!(tombstone.version.successor, Some(v3));
		assert_eq!(EhrRecords::latest_version(patient(), v1).unwrap().id, v3);
		// The digest no longer verifies; the deposit went back to the author.
		assert_eq!(EhrRecords::verify_digest(patient(), digest(2)), None);
		assert_eq!(held(DOCTOR), per_record * 2);
		assert_eq!(Records::<Test>::iter_key_prefix(patient()).count(), 2);
		System::assert_last_event(
			Event::RecordErased { record: v2, patient: patient(), erased_by: GUARDIAN }.into(),
		);
		assert_eq!(last_entry().action, AuditAction::RecordErased);
		assert_noop!(
			EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), patient(), v2),
			Error::<Test>::AlreadyErased
		);
		assert_noop!(
			EhrRecords::record_access(RuntimeOrigin::signed(DOCTOR), patient(), v2, TREAT),
			Error::<Test>::RecordErased
		);
	});
}

#[test]
fn records_of_a_closed_patient_are_erased_by_anyone_in_bounded_steps() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let mut ids = Vec::new();
		for n in 0..4 {
			ids.push(anchor(DOCTOR, n, None));
		}
		for n in 4..7 {
			ids.push(anchor(ALICE, n, None));
		}
		// While the identity is open, only the patient side may.
		assert_noop!(
			EhrRecords::erase_patient_records(RuntimeOrigin::signed(STRANGER), patient(), 3),
			pallet_ehr_identity::Error::<Test>::NotAuthorized
		);
		assert_noop!(
			EhrRecords::erase_patient_records(
				RuntimeOrigin::signed(STRANGER),
				ehr_primitives::testing::patient_id(0xee),
				3
			),
			Error::<Test>::PatientNotFound
		);
		assert_ok!(Identity::close_patient(RuntimeOrigin::signed(ALICE)));
		assert_noop!(
			EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), patient(), ids[0]),
			pallet_ehr_identity::Error::<Test>::PatientClosed
		);
		assert_noop!(
			EhrRecords::erase_patient_records(RuntimeOrigin::signed(STRANGER), patient(), 0),
			Error::<Test>::NothingToErase
		);

		for more in [true, true, false] {
			assert_ok!(EhrRecords::erase_patient_records(
				RuntimeOrigin::signed(STRANGER),
				patient(),
				100
			));
			System::assert_last_event(
				Event::PatientRecordsErased {
					patient: patient(),
					erased: if more { MAX_ERASE } else { 1 },
					more,
				}
				.into(),
			);
		}
		assert_noop!(
			EhrRecords::erase_patient_records(RuntimeOrigin::signed(STRANGER), patient(), 100),
			Error::<Test>::NothingToErase
		);
		assert!(ids.iter().all(|id| {
			Tombstones::<Test>::contains_key(patient(), id)
				&& !Records::<Test>::contains_key(patient(), id)
		}));
		assert_eq!(held(DOCTOR), 0);
		assert_eq!(held(ALICE), 0);
		assert_eq!(Records::<Test>::iter_key_prefix(patient()).count(), 0);
	});
}

#[test]
fn the_patient_side_may_erase_all_its_records_while_open() {
	ExtBuilder::build_and_execute(|| {
		anchor(ALICE, 1, None);
		anchor(ALICE, 2, None);
		assert_ok!(EhrRecords::erase_patient_records(
			RuntimeOrigin::signed(GUARDIAN),
			patient(),
			5
		));
		assert_eq!(Records::<Test>::iter_key_prefix(patient()).count(), 0);
		assert_noop!(
			EhrRecords::erase_patient_records(RuntimeOrigin::signed(ALICE), patient(), 5),
			Error::<Test>::NothingToErase
		);
	});
}
