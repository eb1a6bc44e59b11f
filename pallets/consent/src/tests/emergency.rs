//! Tests of the break-glass calls: `open_emergency_access`, `close_emergency_access` and
//! `reap_emergency_access`.

use super::*;

#[test]
fn emergency_window_permits_etreat_only_and_expires() {
	ExtBuilder::build_and_execute(|| {
		let justification = [7u8; 32];
		go_to(3);
		assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient(), justification));
		System::assert_has_event(
			Event::EmergencyAccessOpened {
				patient: patient(),
				provider: DOCTOR,
				organisation: OrgId(1),
				expires_at: 3 + EMERGENCY_DURATION,
				justification,
			}
			.into(),
		);
		assert_eq!(
			held(HoldReason::EmergencyDeposit, DOCTOR),
			10 + EhrConsent::emergency_footprint().size
		);
		let etreat =
			request(DataCategory::MentalHealth, Action::Read, PurposeOfUse::EmergencyTreatment);
		let emergency = AccessDecision::Permitted(AccessBasis::Emergency { opened_at: 3 });
		assert_eq!(EhrConsent::check_access(&DOCTOR, &etreat), emergency);
		// Not for other purposes, and not for other providers.
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), denied(DenialReason::NoConsent));
		assert_eq!(EhrConsent::check_access(&NURSE, &etreat), denied(DenialReason::NoConsent));
		// The window covers up to, not including, its expiry block.
		go_to(3 + EMERGENCY_DURATION - 1);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &etreat), emergency);
		go_to(3 + EMERGENCY_DURATION);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &etreat), denied(DenialReason::NoConsent));
		// Audited with the purpose and the organisation.
		let entry = RecordingAuditSink::take().pop().unwrap();
		assert_eq!(entry.action, AuditAction::EmergencyAccessOpened);
		assert_eq!(entry.organisation, Some(OrgId(1)));
		assert_eq!(entry.purpose, Some(PurposeOfUse::EmergencyTreatment));
		// Reaped by anyone; the provider gets its deposit back.
		assert_ok!(EhrConsent::reap_emergency_access(signed(STRANGER), patient(), DOCTOR));
		System::assert_has_event(
			Event::EmergencyAccessReaped { patient: patient(), provider: DOCTOR }.into(),
		);
		assert_eq!(held(HoldReason::EmergencyDeposit, DOCTOR), 0);
	})
}

#[test]
fn emergency_window_closed_early_by_patient_provider_or_governance() {
	ExtBuilder::build_and_execute(|| {
		let etreat =
			request(DataCategory::Laboratory, Action::Read, PurposeOfUse::EmergencyTreatment);
		for (closer, origin) in [
			// The guardian first: its term ends at block 50.
			(Some(GUARDIAN), signed(GUARDIAN)),
			(Some(ALICE), signed(ALICE)),
			(Some(DOCTOR), signed(DOCTOR)),
			(None, RuntimeOrigin::root()),
		] {
			assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [1; 32]));
			let opened_at = System::block_number();
			assert_ok!(EhrConsent::close_emergency_access(origin, patient(), DOCTOR));
			System::assert_has_event(
				Event::EmergencyAccessClosed {
					patient: patient(),
					provider: DOCTOR,
					closed_by: closer,
				}
				.into(),
			);
			assert_eq!(EhrConsent::check_access(&DOCTOR, &etreat), denied(DenialReason::NoConsent));
			let entry = RecordingAuditSink::take().pop().unwrap();
			assert_eq!(entry.action, AuditAction::EmergencyAccessClosed);
			assert_eq!(entry.entity, AuditEntity::Emergency { provider: DOCTOR, opened_at });
			assert_eq!(entry.actor, closer.map_or(AuditActor::Governance, AuditActor::Account));
			// A new window replaces the ended one (the rate limit is per period).
			go_to(System::block_number() + EMERGENCY_PERIOD);
		}
	})
}

#[test]
fn emergency_errors() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			EhrConsent::open_emergency_access(signed(STRANGER), patient(), [1; 32]),
			Error::<Test>::NotAccredited
		);
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient_id(9), [1; 32]),
			Error::<Test>::PatientNotFound
		);
		assert_noop!(
			EhrConsent::close_emergency_access(signed(ALICE), patient(), DOCTOR),
			Error::<Test>::EmergencyNotFound
		);
		assert_noop!(
			EhrConsent::reap_emergency_access(signed(ALICE), patient(), DOCTOR),
			Error::<Test>::EmergencyNotFound
		);
		assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [1; 32]));
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [2; 32]),
			Error::<Test>::EmergencyAlreadyOpen
		);
		assert_noop!(
			EhrConsent::close_emergency_access(signed(STRANGER), patient(), DOCTOR),
			not_agent(ActForError::NotAuthorized)
		);
		assert_noop!(
			EhrConsent::close_emergency_access(signed(NURSE), patient(), DOCTOR),
			not_agent(ActForError::NotAuthorized)
		);
		assert_noop!(
			EhrConsent::reap_emergency_access(signed(ALICE), patient(), DOCTOR),
			Error::<Test>::NotEnded
		);
		assert_ok!(EhrConsent::close_emergency_access(signed(ALICE), patient(), DOCTOR));
		assert_noop!(
			EhrConsent::close_emergency_access(signed(ALICE), patient(), DOCTOR),
			Error::<Test>::EmergencyNotOpen
		);
		// Second window in the period is allowed, the third is not.
		assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [2; 32]));
		assert_ok!(EhrConsent::close_emergency_access(signed(DOCTOR), patient(), DOCTOR));
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [3; 32]),
			Error::<Test>::EmergencyRateLimited
		);
		// Other patients count too: the limit is per provider.
		TestPatients::register(patient_id(2), STRANGER);
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient_id(2), [3; 32]),
			Error::<Test>::EmergencyRateLimited
		);
		go_to(1 + EMERGENCY_PERIOD);
		assert_ok!(EhrConsent::open_emergency_access(signed(DOCTOR), patient_id(2), [3; 32]));
		TestPatients::close(patient(), 1 + EMERGENCY_PERIOD);
		assert_noop!(
			EhrConsent::open_emergency_access(signed(OTHER_DOCTOR), patient(), [4; 32]),
			Error::<Test>::PatientClosed
		);
	})
}
