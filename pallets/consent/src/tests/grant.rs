//! Tests of `grant_consent` and of the check over the grants it makes.

use super::*;

#[test]
fn grant_then_check_permits_only_the_scope() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		System::assert_has_event(
			Event::ConsentGranted {
				consent_id: id.id,
				patient: patient(),
				grantee: Grantee::Provider(DOCTOR),
				granted_by: ALICE,
			}
			.into(),
		);
		assert_eq!(
			held(HoldReason::ConsentDeposit, ALICE),
			10 + EhrConsent::consent_footprint().size
		);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		let imaging = request(DataCategory::Imaging, Action::Read, PurposeOfUse::Treatment);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &imaging), by_grant(id));
		// Outside the scope: another category, another action, another purpose.
		for other in [
			request(DataCategory::Genomics, Action::Read, PurposeOfUse::Treatment),
			request(DataCategory::Laboratory, Action::Write, PurposeOfUse::Treatment),
			request(DataCategory::Laboratory, Action::Read, PurposeOfUse::Research),
		] {
			assert_eq!(EhrConsent::check_access(&DOCTOR, &other), denied(DenialReason::OutOfScope));
		}
		// Another provider of the same organisation holds nothing.
		assert_eq!(EhrConsent::check_access(&NURSE, &lab_read()), denied(DenialReason::NoConsent));
		assert_eq!(
			EhrConsent::check_access(&STRANGER, &lab_read()),
			denied(DenialReason::NotAccredited)
		);
		let unknown = AccessRequest { patient: patient_id(9), ..lab_read() };
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &unknown),
			denied(DenialReason::UnknownPatient)
		);
		assert_eq!(
			RecordingAuditSink::take()
				.into_iter()
				.map(|e| (e.action, e.entity))
				.collect::<Vec<_>>(),
			vec![(AuditAction::ConsentGranted, AuditEntity::Consent(id.id))]
		);
	})
}

#[test]
fn organisation_grant_covers_its_providers_only() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Organisation(OrgId(1)), 1, None);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		assert_eq!(EhrConsent::check_access(&NURSE, &lab_read()), by_grant(id));
		assert_eq!(
			EhrConsent::check_access(&OTHER_DOCTOR, &lab_read()),
			denied(DenialReason::NoConsent)
		);
	})
}

#[test]
fn validity_boundaries_are_inclusive() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 5, Some(10));
		let at = |n| EhrConsent::check_access_at(&DOCTOR, &lab_read(), n);
		assert_eq!(at(4), denied(DenialReason::ConsentNotYetValid));
		assert_eq!(at(5), by_grant(id));
		assert_eq!(at(10), by_grant(id));
		assert_eq!(at(11), denied(DenialReason::ConsentExpired));
		// The same answers at the current block as the chain moves.
		go_to(10);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(id));
		go_to(11);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::ConsentExpired)
		);
	})
}

#[test]
fn a_valid_grant_wins_over_ended_ones() {
	ExtBuilder::build_and_execute(|| {
		let old = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		assert_ok!(revoke(ALICE, old));
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::ConsentRevoked)
		);
		let new = grant(ALICE, Grantee::Organisation(OrgId(1)), 1, None);
		assert_eq!(EhrConsent::check_access(&DOCTOR, &lab_read()), by_grant(new));
	})
}

#[test]
fn guardian_acts_until_its_term_ends() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(GUARDIAN, Grantee::Provider(DOCTOR), 1, None);
		assert_eq!(
			held(HoldReason::ConsentDeposit, GUARDIAN),
			10 + EhrConsent::consent_footprint().size
		);
		go_to(GUARDIAN_UNTIL);
		assert_noop!(
			grant_call(GUARDIAN, Grantee::Provider(DOCTOR), 1, None),
			not_agent(ActForError::NotAuthorized)
		);
		assert_noop!(revoke(GUARDIAN, id), not_agent(ActForError::NotAuthorized));
		// The controller revokes instead; anyone reaps and the guardian gets its deposit back.
		assert_ok!(revoke(ALICE, id));
		assert_ok!(reap(STRANGER, id));
		assert_eq!(held(HoldReason::ConsentDeposit, GUARDIAN), 0);
	})
}

#[test]
fn suspended_provider_is_denied() {
	ExtBuilder::build_and_execute(|| {
		grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		TestProviders::suspend(DOCTOR);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &lab_read()),
			denied(DenialReason::NotAccredited)
		);
		assert_noop!(
			EhrConsent::open_emergency_access(signed(DOCTOR), patient(), [1; 32]),
			Error::<Test>::NotAccredited
		);
	})
}

#[test]
fn grant_errors() {
	ExtBuilder::build_and_execute(|| {
		let call =
			|by: u64, patient: PatientId, grantee, categories, actions, purposes, from, until| {
				EhrConsent::grant_consent(
					signed(by),
					patient,
					grantee,
					categories,
					actions,
					purposes,
					ProviderRoles::ALL,
					from,
					until,
				)
			};
		let doctor = Grantee::Provider(DOCTOR);
		assert_noop!(
			EhrConsent::grant_consent(
				RuntimeOrigin::none(),
				patient(),
				doctor,
				labs(),
				read(),
				treatment(),
				ProviderRoles::ALL,
				1,
				None
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			call(ALICE, patient_id(9), doctor, labs(), read(), treatment(), 1, None),
			not_agent(ActForError::UnknownPatient)
		);
		assert_noop!(
			call(STRANGER, patient(), doctor, labs(), read(), treatment(), 1, None),
			not_agent(ActForError::NotAuthorized)
		);
		assert_noop!(
			call(
				ALICE,
				patient(),
				doctor,
				SealedCategories::default(),
				read(),
				treatment(),
				1,
				None
			),
			Error::<Test>::InvalidCategories
		);
		// Twelve slots: the count would show how many categories the grant covers.
		let short = SealedCategories { epoch: 0, slots: labs().slots & (labs().slots - 1) };
		assert_eq!(short.slots.count_ones(), SealedCategories::SIZE - 1);
		assert_noop!(
			call(ALICE, patient(), doctor, short, read(), treatment(), 1, None),
			Error::<Test>::InvalidCategories
		);
		let long = SealedCategories { epoch: 0, slots: u32::MAX };
		assert_noop!(
			call(ALICE, patient(), doctor, long, read(), treatment(), 1, None),
			Error::<Test>::InvalidCategories
		);
		assert_noop!(
			call(ALICE, patient(), doctor, labs(), Actions(0b100), treatment(), 1, None),
			Error::<Test>::InvalidActions
		);
		assert_noop!(
			call(ALICE, patient(), doctor, labs(), read(), Purposes::EMPTY, 1, None),
			Error::<Test>::InvalidPurposes
		);
		assert_noop!(
			call(ALICE, patient(), doctor, labs(), read(), treatment(), 5, Some(4)),
			Error::<Test>::InvalidPeriod
		);
		go_to(3);
		assert_noop!(
			call(ALICE, patient(), doctor, labs(), read(), treatment(), 1, Some(2)),
			Error::<Test>::InvalidPeriod
		);
		assert_noop!(
			call(
				ALICE,
				patient(),
				Grantee::Provider(STRANGER),
				labs(),
				read(),
				treatment(),
				1,
				None
			),
			Error::<Test>::UnknownGrantee
		);
		assert_noop!(
			call(
				ALICE,
				patient(),
				Grantee::Organisation(OrgId(7)),
				labs(),
				read(),
				treatment(),
				1,
				None
			),
			Error::<Test>::UnknownGrantee
		);
		TestPatients::register(patient_id(3), POOR);
		assert_noop!(
			call(POOR, patient_id(3), doctor, labs(), read(), treatment(), 1, None),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
	})
}

#[test]
fn grant_bounds() {
	ExtBuilder::build_and_execute(|| {
		for _ in 0..MAX_PER_GRANTEE {
			grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		}
		assert_noop!(
			grant_call(ALICE, Grantee::Provider(DOCTOR), 1, None),
			Error::<Test>::TooManyGrantsForGrantee
		);
		// The bound is per grantee: other grantees still get grants, each with its deposit.
		for _ in 0..MAX_PER_GRANTEE {
			grant(ALICE, Grantee::Provider(NURSE), 1, None);
		}
		grant(ALICE, Grantee::Organisation(OrgId(2)), 1, None);
		assert_eq!(
			held(HoldReason::ConsentDeposit, ALICE),
			u64::from(2 * MAX_PER_GRANTEE + 1) * (10 + EhrConsent::consent_footprint().size)
		);
		// Reaping one frees room under its grantee.
		let first = GrantRef {
			grantee: Grantee::Provider(DOCTOR),
			id: Grants::<Test>::get(patient(), Grantee::Provider(DOCTOR))[0].id(),
		};
		assert_ok!(revoke(ALICE, first));
		assert_ok!(reap(STRANGER, first));
		grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
	})
}

#[test]
fn one_item_per_grantee_keeps_each_grant_whole_and_revocation_updates_it() {
	ExtBuilder::build().execute_with(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, Some(50));
		let listed = Grants::<Test>::get(patient(), Grantee::Provider(DOCTOR));
		assert_eq!(listed.len(), 1);
		assert_eq!(listed[0].id(), id.id);
		assert_eq!(listed[0].terms.valid_until, Some(50));
		assert_eq!(listed[0].terms.revoked_at, None);
		assert_eq!(listed[0].terms.granted_at, 1);
		assert_eq!(listed[0].granted_by, ALICE);
		// Nothing else is stored for the grant.
		assert_eq!(Grants::<Test>::iter().count(), 1);

		go_to(7);
		assert_ok!(revoke(ALICE, id));
		assert_eq!(stored(id).unwrap().terms.revoked_at, Some(7));
		// The check answers as before the revocation for earlier blocks.
		assert_eq!(
			EhrConsent::check_access_at(&DOCTOR, &lab_read(), 6),
			AccessDecision::Permitted(AccessBasis::Grant(id.id))
		);
		assert_eq!(
			EhrConsent::check_access_at(&DOCTOR, &lab_read(), 7),
			AccessDecision::Denied(DenialReason::ConsentRevoked)
		);
	})
}

/// The check compares sealed tags: a grant for laboratory and imaging permits exactly those
/// two tags of its epoch, not another category's tag, not a slot outside the set, not the same
/// slot under another epoch, and nothing once revoked.
#[test]
fn the_sealed_check_compares_tags() {
	ExtBuilder::build_and_execute(|| {
		let id = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		let tag = |category| ehr_primitives::testing::tag(&patient(), category);
		let with_tag = |category| AccessRequest { category, ..lab_read() };
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &with_tag(tag(DataCategory::Laboratory))),
			by_grant(id)
		);
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &with_tag(tag(DataCategory::Imaging))),
			by_grant(id)
		);
		// Every other category is out of scope.
		for category in DataCategory::ALL {
			if matches!(category, DataCategory::Laboratory | DataCategory::Imaging) {
				continue;
			}
			assert_eq!(
				EhrConsent::check_access(&DOCTOR, &with_tag(tag(*category))),
				denied(DenialReason::OutOfScope),
				"{category:?}"
			);
		}
		// A wrong tag: a slot outside the grant's set, the right slot under another epoch, a
		// slot out of range.
		let outside = (0..CategoryTag::SLOTS).find(|slot| labs().slots & (1 << slot) == 0).unwrap();
		let lab = tag(DataCategory::Laboratory);
		for wrong in [
			CategoryTag { epoch: 0, slot: outside },
			CategoryTag { epoch: 1, slot: lab.slot },
			CategoryTag { epoch: 0, slot: 40 },
		] {
			assert_eq!(
				EhrConsent::check_access(&DOCTOR, &with_tag(wrong)),
				denied(DenialReason::OutOfScope),
				"{wrong:?}"
			);
		}
		// Revoked: the grantee is denied, with the reason.
		assert_ok!(revoke(ALICE, id));
		assert_eq!(
			EhrConsent::check_access(&DOCTOR, &with_tag(lab)),
			denied(DenialReason::ConsentRevoked)
		);
	});
}
