//! Tests of the findings of the runtime security review (`docs/security.md`), one or more per
//! finding, named after it.

use super::*;
use codec::MaxEncodedLen;
use polkadot_sdk::frame_support::traits::fungible::Inspect;

/// Finding 1: any signed account could append `Denied(NotAccredited)` entries to any patient's
/// trail through `record_access`, without a deposit. Now only accredited providers declare
/// accesses; anyone else is refused and nothing is written.
#[test]
fn finding_01_non_providers_cannot_write_to_a_patients_trail() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let id = anchor(ALICE, 1, None);
		let before = trail(patient()).len();
		for who in [STRANGER, ALICE, GUARDIAN] {
			assert_noop!(
				EhrRecords::record_access(RuntimeOrigin::signed(who), patient(), id, TREAT),
				Error::<Test>::NotAccredited
			);
		}
		// Revoked by governance: no longer accredited, refused the same way.
		assert_ok!(Identity::revoke_provider(RuntimeOrigin::root(), OTHER_DOCTOR));
		assert_noop!(
			EhrRecords::record_access(RuntimeOrigin::signed(OTHER_DOCTOR), patient(), id, TREAT),
			Error::<Test>::NotAccredited
		);
		assert_eq!(trail(patient()).len(), before);
	});
}

/// Finding 1: a suspended provider, or a provider of a suspended organisation, is still
/// accredited; its attempt is recorded as denied, with its organisation.
#[test]
fn finding_01_a_suspended_providers_attempt_is_recorded_as_denied() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let id = anchor(ALICE, 1, None);
		assert_ok!(Identity::suspend_provider(RuntimeOrigin::root(), NURSE));
		assert_ok!(EhrRecords::record_access(RuntimeOrigin::signed(NURSE), patient(), id, TREAT));
		let entry = last_entry();
		assert_eq!(
			(entry.actor, entry.organisation, entry.outcome),
			(
				AuditActor::Account(NURSE),
				Some(OrgId(0)),
				AuditOutcome::Denied(DenialReason::NotAccredited)
			)
		);
		assert_ok!(Identity::suspend_organisation(RuntimeOrigin::root(), OrgId(0)));
		assert_ok!(EhrRecords::record_access(RuntimeOrigin::signed(DOCTOR), patient(), id, TREAT));
		assert_eq!(last_entry().outcome, AuditOutcome::Denied(DenialReason::NotAccredited));
	});
}

/// Finding 8: anchoring then erasing left a tombstone for good and returned the whole deposit,
/// so one account could grow state without bound for free. The tombstone's share of the
/// deposit is now burnt.
#[test]
fn finding_08_an_erased_records_tombstone_is_paid_for() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let before = Balances::balance(&DOCTOR);
		let issuance = Balances::total_issuance();
		let id = anchor(DOCTOR, 1, None);
		assert!(held(DOCTOR) > 0);
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), patient(), id));
		assert_eq!(held(DOCTOR), 0);
		// The mock's price is 10 + 1 per byte of the tombstone's footprint: the tombstone
		// (version links, block: less than the record was) under its key (the patient's
		// Blake2_128Concat, the id's Twox64Concat), which also keeps the erased digest from
		// being anchored again.
		let size = (Tombstone::<u64>::max_encoded_len()
			+ 16 + PatientId::max_encoded_len()
			+ 8 + RecordId::max_encoded_len()) as u64;
		assert!(Tombstone::<u64>::max_encoded_len() < RecordOf::<Test>::max_encoded_len());
		assert_eq!(EhrRecords::tombstone_footprint().size, size);
		let burnt = before - Balances::balance(&DOCTOR);
		assert_eq!(burnt, 10 + size, "the tombstone's share is burnt");
		assert_eq!(Balances::total_issuance(), issuance - burnt);
		assert!(
			Tombstones::<Test>::contains_key(patient(), id)
				&& !Records::<Test>::contains_key(patient(), id)
		);
	});
}

/// Finding 6: digests were unique across all patients, so whoever saw a pending anchor could
/// anchor the same digest first under a patient identity of its own: the hospital's call
/// failed, and the digest verified as the squatter's. Digests are now unique per patient.
#[test]
fn finding_06_a_digest_anchored_under_another_patient_neither_blocks_nor_hijacks() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		// Bob front-runs with Alice's document digest, under his own identity.
		assert_ok!(EhrRecords::anchor_record(
			RuntimeOrigin::signed(BOB),
			bobs_patient(),
			lab(),
			digest(1),
			None,
			None,
			TREAT
		));
		// The hospital's anchor for Alice still goes through, and verifies as the hospital's.
		let id = anchor(DOCTOR, 1, None);
		let view = EhrRecords::verify_digest(patient(), digest(1)).unwrap();
		assert_eq!((view.id, view.author, view.patient), (id, Some(DOCTOR), patient()));
		assert_eq!(EhrRecords::verify_digest(bobs_patient(), digest(1)).unwrap().author, Some(BOB));
	});
}

/// Finding 6: an erased digest could be anchored again, bringing back a document the patient
/// had erased. Now it is refused for that patient.
#[test]
fn finding_06_an_erased_digest_cannot_be_anchored_again() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let id = anchor(DOCTOR, 1, None);
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), patient(), id));
		assert_eq!(EhrRecords::verify_digest(patient(), digest(1)), None);
		assert_noop!(anchor_call(DOCTOR, digest(1), None), Error::<Test>::DigestErased);
		assert_noop!(anchor_call(ALICE, digest(1), None), Error::<Test>::DigestErased);
	});
}

/// Finding 6: any accredited provider could anchor another organisation's batch root first,
/// with a wrong leaf count, and so block or poison its verification. Roots are now unique per
/// organisation.
#[test]
fn finding_06_another_organisation_cannot_take_or_poison_a_batch_root() {
	ExtBuilder::build_and_execute(|| {
		let docs: Vec<Digest> = (0..4).map(digest).collect();
		let root = merkle_root(&docs).unwrap();
		// Organisation 1 anchors organisation 0's root first, with a wrong leaf count.
		assert_ok!(EhrRecords::anchor_batch(RuntimeOrigin::signed(OTHER_DOCTOR), root, 1));
		assert_ok!(EhrRecords::anchor_batch(RuntimeOrigin::signed(DOCTOR), root, 4));
		let proof = merkle_proof(&docs, 3).unwrap();
		let batch = EhrRecords::verify_batch_proof(OrgId(0), root, 3, docs[3], proof).unwrap();
		assert_eq!((batch.leaf_count, batch.author, batch.organisation), (4, DOCTOR, OrgId(0)));
	});
}
