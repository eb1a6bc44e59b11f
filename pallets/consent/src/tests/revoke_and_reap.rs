//! Tests of `revoke_consent` and `reap_consent`.

use super::*;

#[test]
fn revocation_takes_effect_in_the_same_block_and_keeps_history() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		go_to(7);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		let info = revoke(ALICE, id).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		System::assert_has_event(
			Event::ConsentRevoked {
				consent_id: id.id,
				patient: patient(),
				grantee: id.grantee,
				revoked_by: ALICE,
			}
			.into(),
		);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::ConsentRevoked)
		);
		// Audits can still ask about earlier blocks.
		assert_eq!(EhrConsent::check_access_at(&DOCTOR, &lab_read(), 6), by_grant(id));
		assert_eq!(stored(id).unwrap().terms.revoked_at, Some(7));
	})
}

#[test]
fn closed_identity_stops_every_grant_and_frees_them() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		go_to(8);
		assert_noop!(reap(STRANGER, id), Error::<Test>::NotEnded);
		TestPatients::close(patient(), 8);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::PatientClosed)
		);
		assert_eq!(EhrConsent::check_access_at(&DOCTOR, &lab_read(), 7), by_grant(id));
		assert_noop!(revoke(ALICE, id), not_agent(ActForError::PatientClosed));
		assert_ok!(reap(STRANGER, id));
		System::assert_has_event(
			Event::ConsentReaped { consent_id: id.id, patient: patient(), grantee: id.grantee }
				.into(),
		);
		assert_eq!(held(HoldReason::ConsentDeposit, ALICE), 0);
		assert!(!Grants::<Test>::contains_key(patient(), Grantee::Provider(DOCTOR)));
	})
}

#[test]
fn reaping_expired_and_revoked_grants() {
	ExtBuilder::build_and_execute(|| {
		let expiring = grant(ALICE, Grantee::Provider(DOCTOR), 1, Some(5));
		let revoked = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		let kept = grant(ALICE, Grantee::Provider(NURSE), 1, None);
		assert_noop!(reap(STRANGER, expiring), Error::<Test>::NotEnded);
		go_to(6);
		assert_ok!(reap(STRANGER, expiring));
		assert_ok!(revoke(ALICE, revoked));
		assert_ok!(reap(STRANGER, revoked));
		assert!(!Grants::<Test>::contains_key(patient(), Grantee::Provider(DOCTOR)));
		assert!(stored(kept).is_some());
		assert_eq!(
			held(HoldReason::ConsentDeposit, ALICE),
			10 + EhrConsent::consent_footprint().size
		);
		let audit: Vec<_> = RecordingAuditSink::take().into_iter().map(|e| e.action).collect();
		assert_eq!(audit.iter().filter(|a| **a == AuditAction::ConsentReaped).count(), 2);
	})
}

#[test]
fn revoke_and_reap_errors() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		assert_noop!(
			revoke(ALICE, missing(Grantee::Provider(DOCTOR))),
			Error::<Test>::ConsentNotFound
		);
		assert_noop!(revoke(STRANGER, id), not_agent(ActForError::NotAuthorized));
		// The grantee cannot revoke on the patient's behalf either.
		assert_noop!(revoke(DOCTOR, id), not_agent(ActForError::NotAuthorized));
		assert_ok!(revoke(GUARDIAN, id));
		assert_noop!(revoke(ALICE, id), Error::<Test>::AlreadyRevoked);
		assert_noop!(
			reap(ALICE, missing(Grantee::Provider(DOCTOR))),
			Error::<Test>::ConsentNotFound
		);
		// Under another grantee the id names nothing.
		assert_noop!(
			revoke(ALICE, GrantRef { grantee: Grantee::Provider(NURSE), ..id }),
			Error::<Test>::ConsentNotFound
		);
		assert_noop!(
			EhrConsent::reap_consent(RuntimeOrigin::none(), patient(), id.grantee, id.id),
			DispatchError::BadOrigin
		);
	})
}
