//! Tests of the records pallet, against the real identity, consent and audit pallets: who may
//! anchor (write consents, their periods and revocation, emergency windows, the patient side,
//! closed identities), version chains, retraction, erasure and its tombstones, erasure of a
//! closed patient in bounded steps, batches with Merkle proofs, and audited access with denied
//! attempts recorded.

use crate::{mock::*, pallet::*, types::*, Error};
use ehr_primitives::{
	hashing::{merkle_proof, merkle_root, salted_digest},
	Action, Actions, AuditAction, AuditActor, AuditEntity, AuditOutcome, ConsentId, DataCategories,
	DataCategory, DenialReason, Digest, DigestAlgorithm, Grantee, OrgId, PatientId, PurposeOfUse,
	Purposes, RecordId,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok, dispatch::DispatchResult, traits::fungible::InspectHold,
	},
	sp_runtime::DispatchError,
};

const LAB: DataCategory = DataCategory::Laboratory;
const TREAT: PurposeOfUse = PurposeOfUse::Treatment;
const LOCATOR: [u8; 32] = [7; 32];

/// The salted digest of test document `n`.
fn digest(n: u8) -> Digest {
	salted_digest(DigestAlgorithm::Sha2_256, &[n; 32], b"test document")
}

fn go_to(n: u64) {
	System::set_block_number(n);
}

/// Alice grants `grantee` `actions` on `categories` for `purposes`, from `from` to `until`.
fn grant_to(
	grantee: Grantee<u64>,
	categories: DataCategories,
	actions: Actions,
	purposes: Purposes,
	from: u64,
	until: Option<u64>,
) -> ConsentId {
	let id = ConsentId(pallet_ehr_consent::NextConsentId::<Test>::get());
	assert_ok!(Consent::grant_consent(
		RuntimeOrigin::signed(ALICE),
		patient(),
		grantee,
		categories,
		actions,
		purposes,
		from,
		until
	));
	id
}

/// Alice grants organisation 0 read and write on laboratory data for treatment.
fn grant_org0() -> ConsentId {
	grant_to(Grantee::Organisation(OrgId(0)), LAB.into(), Actions::ALL, TREAT.into(), 0, None)
}

fn anchor_call(who: u64, d: Digest, predecessor: Option<RecordId>) -> DispatchResult {
	EhrRecords::anchor_record(
		RuntimeOrigin::signed(who),
		patient(),
		LAB,
		d,
		Some(LOCATOR),
		predecessor,
		TREAT,
	)
}

/// Anchors document `n` by `who` and returns its id.
fn anchor(who: u64, n: u8, predecessor: Option<RecordId>) -> RecordId {
	let id = RecordId(NextRecordId::<Test>::get());
	assert_ok!(anchor_call(who, digest(n), predecessor));
	id
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RecordHoldReason::get(), &who)
}

fn trail(patient: PatientId) -> Vec<pallet_ehr_audit::AuditEntryOf<Test>> {
	Audit::trail_entries(patient, 0, 100)
}

fn last_entry() -> pallet_ehr_audit::AuditEntryOf<Test> {
	*trail(patient()).last().expect("an entry")
}

#[test]
fn a_provider_with_a_write_consent_anchors_a_record() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		go_to(5);
		let id = anchor(DOCTOR, 1, None);

		let record = Records::<Test>::get(id).unwrap();
		assert_eq!(record.patient, patient());
		assert_eq!(record.category, LAB);
		assert_eq!(record.digest, Some(digest(1)));
		assert_eq!(record.locator, Some(LOCATOR));
		assert_eq!((record.author, record.organisation), (DOCTOR, Some(OrgId(0))));
		assert_eq!((record.anchored_at, record.timestamp), (5, 5 * BLOCK_MS));
		assert_eq!(
			record.version,
			Version { chain: id, number: 1, predecessor: None, successor: None }
		);
		assert_eq!(record.status, RecordStatus::Active);
		assert!(held(DOCTOR) > 0);
		assert_eq!(RecordCount::<Test>::get(patient()), 1);

		let view = EhrRecords::verify_digest(patient(), digest(1)).unwrap();
		assert_eq!((view.id, view.latest, view.status), (id, id, RecordStatus::Active));
		assert_eq!(EhrRecords::verify_digest(patient(), digest(2)), None);

		System::assert_last_event(
			Event::RecordAnchored {
				record: id,
				patient: patient(),
				category: LAB,
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
		assert_eq!(Records::<Test>::get(by_alice).unwrap().organisation, None);
		assert_eq!(Records::<Test>::get(by_guardian).unwrap().author, GUARDIAN);
		assert_eq!(RecordCount::<Test>::get(patient()), 2);
	});
}

#[test]
fn writes_need_a_consent_in_force() {
	ExtBuilder::build_and_execute(|| {
		// Nobody for the patient, no provider.
		assert_noop!(anchor_call(STRANGER, digest(1), None), Error::<Test>::NotAuthorized);
		// A provider without any grant.
		assert_noop!(anchor_call(DOCTOR, digest(1), None), Error::<Test>::NoWriteConsent);
		// A read-only grant does not cover a write.
		grant_to(Grantee::Provider(DOCTOR), LAB.into(), Action::Read.into(), TREAT.into(), 0, None);
		assert_noop!(anchor_call(DOCTOR, digest(1), None), Error::<Test>::NoWriteConsent);
		// A write grant for another purpose does not either.
		grant_to(
			Grantee::Provider(NURSE),
			LAB.into(),
			Actions::ALL,
			PurposeOfUse::Research.into(),
			0,
			None,
		);
		assert_noop!(anchor_call(NURSE, digest(1), None), Error::<Test>::NoWriteConsent);
		// Not yet valid, then valid.
		grant_to(
			Grantee::Provider(OTHER_DOCTOR),
			LAB.into(),
			Actions::ALL,
			TREAT.into(),
			10,
			Some(20),
		);
		assert_noop!(anchor_call(OTHER_DOCTOR, digest(1), None), Error::<Test>::ConsentNotYetValid);
		go_to(10);
		assert_ok!(anchor_call(OTHER_DOCTOR, digest(1), None));
		// Expired after its last block.
		go_to(21);
		assert_noop!(anchor_call(OTHER_DOCTOR, digest(2), None), Error::<Test>::ConsentExpired);
	});
}

#[test]
fn a_revoked_consent_stops_writes_from_its_block_on() {
	ExtBuilder::build_and_execute(|| {
		let id = grant_org0();
		anchor(DOCTOR, 1, None);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id));
		assert_noop!(anchor_call(DOCTOR, digest(2), None), Error::<Test>::ConsentRevoked);
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
				LAB,
				d,
				None,
				None,
				purpose,
			)
		};
		assert_noop!(call(digest(1), TREAT), Error::<Test>::NoWriteConsent);
		assert_ok!(call(digest(1), etreat));
		let id = RecordId(0);
		assert_ok!(EhrRecords::record_access(RuntimeOrigin::signed(OTHER_DOCTOR), id, etreat));
		assert_eq!(last_entry().outcome, AuditOutcome::Success);
		// After the window, the same access is denied (and recorded).
		go_to(1 + EMERGENCY_DURATION);
		assert_ok!(EhrRecords::record_access(RuntimeOrigin::signed(OTHER_DOCTOR), id, etreat));
		assert_eq!(last_entry().outcome, AuditOutcome::Denied(DenialReason::NoConsent));
		assert_noop!(call(digest(2), etreat), Error::<Test>::NoWriteConsent);
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
				LAB,
				digest(1),
				None,
				None,
				TREAT
			),
			Error::<Test>::PatientNotFound
		);
		assert_ok!(Identity::close_patient(RuntimeOrigin::signed(ALICE)));
		assert_noop!(anchor_call(DOCTOR, digest(1), None), Error::<Test>::PatientClosed);
		assert_noop!(anchor_call(ALICE, digest(1), None), Error::<Test>::PatientClosed);
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
fn records_per_patient_and_ids_are_bounded() {
	ExtBuilder::build_and_execute(|| {
		for n in 0..MAX_RECORDS as u8 {
			anchor(ALICE, n, None);
		}
		assert_noop!(anchor_call(ALICE, digest(200), None), Error::<Test>::TooManyRecords);
		// Erasing one frees room.
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), RecordId(0)));
		assert_ok!(anchor_call(ALICE, digest(200), None));
	});
	ExtBuilder::build().execute_with(|| {
		NextRecordId::<Test>::put(u64::MAX);
		assert_noop!(anchor_call(ALICE, digest(1), None), Error::<Test>::RecordIdsExhausted);
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

		let r2 = Records::<Test>::get(v2).unwrap();
		assert_eq!(
			r2.version,
			Version { chain: v1, number: 2, predecessor: Some(v1), successor: Some(v3) }
		);
		assert_eq!(Records::<Test>::get(v1).unwrap().version.successor, Some(v2));
		assert_eq!(LatestVersion::<Test>::get(v1), Some(v3));
		assert_eq!(EhrRecords::latest_version(v1).unwrap().id, v3);
		assert_eq!(EhrRecords::latest_version(v3).unwrap().id, v3);
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
				category: LAB,
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
				DataCategory::Imaging,
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
			LAB,
			digest(4),
			None,
			None,
			TREAT
		));
		let bobs = RecordId(2);
		assert_noop!(
			anchor_call(ALICE, digest(3), Some(bobs)),
			Error::<Test>::PredecessorOfOtherPatient
		);

		assert_ok!(EhrRecords::retract_record(RuntimeOrigin::signed(ALICE), v2));
		assert_noop!(anchor_call(ALICE, digest(3), Some(v2)), Error::<Test>::RecordNotActive);
		let other = anchor(ALICE, 5, None);
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), other));
		assert_noop!(anchor_call(ALICE, digest(3), Some(other)), Error::<Test>::RecordNotActive);
	});
	ExtBuilder::build().execute_with(|| {
		let v1 = anchor(ALICE, 1, None);
		Records::<Test>::mutate(v1, |r| r.as_mut().unwrap().version.number = u32::MAX);
		assert_noop!(anchor_call(ALICE, digest(2), Some(v1)), Error::<Test>::TooManyVersions);
	});
}

#[test]
fn the_authors_organisation_retracts_a_record() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		let id = anchor(DOCTOR, 1, None);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::NotAccredited
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(OTHER_DOCTOR), id),
			Error::<Test>::NotAuthorOrganisation
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotAccredited
		);
		go_to(3);
		// Another provider of the same organisation may.
		assert_ok!(EhrRecords::retract_record(RuntimeOrigin::signed(NURSE), id));
		assert_eq!(Records::<Test>::get(id).unwrap().status, RecordStatus::Retracted { at: 3 });
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
			EhrRecords::retract_record(RuntimeOrigin::signed(DOCTOR), id),
			Error::<Test>::AlreadyRetracted
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(DOCTOR), RecordId(9)),
			Error::<Test>::RecordNotFound
		);
	});
}

#[test]
fn the_patient_side_retracts_its_own_records_only() {
	ExtBuilder::build_and_execute(|| {
		let id = anchor(ALICE, 1, None);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(DOCTOR), id),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(EhrRecords::retract_record(RuntimeOrigin::signed(GUARDIAN), id));
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), id));
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::RecordErased
		);
		assert_noop!(
			EhrRecords::retract_record(RuntimeOrigin::none(), id),
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
			EhrRecords::erase_record(RuntimeOrigin::signed(DOCTOR), v2),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), RecordId(9)),
			Error::<Test>::RecordNotFound
		);

		go_to(4);
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(GUARDIAN), v2));
		let tombstone = Records::<Test>::get(v2).unwrap();
		assert_eq!(tombstone.status, RecordStatus::Erased { at: 4 });
		assert_eq!((tombstone.digest, tombstone.locator, tombstone.deposit), (None, None, None));
		// The chain keeps its links through the tombstone.
		assert_eq!(tombstone.version.predecessor, Some(v1));
		assert_eq!(tombstone.version.successor, Some(v3));
		assert_eq!(EhrRecords::latest_version(v1).unwrap().id, v3);
		// The digest no longer verifies; the deposit went back to the author.
		assert_eq!(EhrRecords::verify_digest(patient(), digest(2)), None);
		assert_eq!(held(DOCTOR), per_record * 2);
		assert_eq!(RecordCount::<Test>::get(patient()), 2);
		System::assert_last_event(
			Event::RecordErased { record: v2, patient: patient(), erased_by: GUARDIAN }.into(),
		);
		assert_eq!(last_entry().action, AuditAction::RecordErased);
		assert_noop!(
			EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), v2),
			Error::<Test>::AlreadyErased
		);
		assert_noop!(
			EhrRecords::record_access(RuntimeOrigin::signed(DOCTOR), v2, TREAT),
			Error::<Test>::RecordErased
		);
	});
}

#[test]
fn records_of_a_closed_patient_are_erased_by_anyone_in_bounded_steps() {
	ExtBuilder::build_and_execute(|| {
		grant_org0();
		for n in 0..4 {
			anchor(DOCTOR, n, None);
		}
		for n in 4..7 {
			anchor(ALICE, n, None);
		}
		// While the identity is open, only the patient side may.
		assert_noop!(
			EhrRecords::erase_patient_records(RuntimeOrigin::signed(STRANGER), patient(), 3),
			Error::<Test>::NotAuthorized
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
			EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), RecordId(0)),
			Error::<Test>::PatientClosed
		);
		assert_noop!(
			EhrRecords::erase_patient_records(RuntimeOrigin::signed(STRANGER), patient(), 0),
			Error::<Test>::NothingToErase
		);

		for remaining in [4, 1, 0] {
			assert_ok!(EhrRecords::erase_patient_records(
				RuntimeOrigin::signed(STRANGER),
				patient(),
				100
			));
			System::assert_last_event(
				Event::PatientRecordsErased {
					patient: patient(),
					erased: if remaining == 0 { 1 } else { MAX_ERASE },
					remaining,
				}
				.into(),
			);
		}
		assert_noop!(
			EhrRecords::erase_patient_records(RuntimeOrigin::signed(STRANGER), patient(), 100),
			Error::<Test>::NothingToErase
		);
		assert!((0..7).all(|i| Records::<Test>::get(RecordId(i)).unwrap().is_erased()));
		assert_eq!(held(DOCTOR), 0);
		assert_eq!(held(ALICE), 0);
		assert_eq!(RecordCount::<Test>::get(patient()), 0);
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
		assert_eq!(RecordCount::<Test>::get(patient()), 0);
		assert_noop!(
			EhrRecords::erase_patient_records(RuntimeOrigin::signed(ALICE), patient(), 5),
			Error::<Test>::NothingToErase
		);
	});
}

#[test]
fn batches_anchor_a_merkle_root_and_verify_documents_by_proof() {
	ExtBuilder::build_and_execute(|| {
		let docs: Vec<Digest> = (0..5).map(digest).collect();
		let root = merkle_root(&docs).unwrap();
		go_to(3);
		assert_ok!(EhrRecords::anchor_batch(RuntimeOrigin::signed(DOCTOR), root, 5));
		System::assert_last_event(
			Event::BatchAnchored { root, leaf_count: 5, author: DOCTOR, organisation: OrgId(0) }
				.into(),
		);
		assert!(Balances::balance_on_hold(&BatchHoldReason::get(), &DOCTOR) > 0);
		for (i, d) in docs.iter().enumerate() {
			let proof = merkle_proof(&docs, i as u32).unwrap();
			let batch =
				EhrRecords::verify_batch_proof(OrgId(0), root, i as u32, *d, proof).unwrap();
			assert_eq!((batch.leaf_count, batch.author, batch.anchored_at), (5, DOCTOR, 3));
			assert_eq!(batch.timestamp, 3 * BLOCK_MS);
		}
		let proof = merkle_proof(&docs, 1).unwrap();
		assert_eq!(
			EhrRecords::verify_batch_proof(OrgId(0), root, 1, digest(9), proof.clone()),
			Err(BatchProofError::InvalidProof)
		);
		assert_eq!(
			EhrRecords::verify_batch_proof(OrgId(0), root, 2, docs[1], proof.clone()),
			Err(BatchProofError::InvalidProof)
		);
		assert_eq!(
			EhrRecords::verify_batch_proof(OrgId(0), root, 5, docs[1], proof.clone()),
			Err(BatchProofError::IndexOutOfRange)
		);
		assert_eq!(
			EhrRecords::verify_batch_proof(OrgId(0), [1; 32], 1, docs[1], proof),
			Err(BatchProofError::UnknownBatch)
		);
	});
}

#[test]
fn batch_errors() {
	ExtBuilder::build_and_execute(|| {
		let root = [5; 32];
		assert_noop!(
			EhrRecords::anchor_batch(RuntimeOrigin::signed(STRANGER), root, 5),
			Error::<Test>::NotAccredited
		);
		assert_noop!(
			EhrRecords::anchor_batch(RuntimeOrigin::signed(DOCTOR), [0; 32], 5),
			Error::<Test>::InvalidDigest
		);
		assert_noop!(
			EhrRecords::anchor_batch(RuntimeOrigin::signed(DOCTOR), root, 0),
			Error::<Test>::EmptyBatch
		);
		assert_noop!(
			EhrRecords::anchor_batch(RuntimeOrigin::signed(DOCTOR), root, MAX_LEAVES + 1),
			Error::<Test>::BatchTooLarge
		);
		assert_ok!(EhrRecords::anchor_batch(RuntimeOrigin::signed(DOCTOR), root, MAX_LEAVES));
		assert_noop!(
			EhrRecords::anchor_batch(RuntimeOrigin::signed(NURSE), root, 2),
			Error::<Test>::BatchAlreadyAnchored
		);
	});
}

#[test]
fn accesses_are_audited_with_their_outcome_and_denied_ones_still_succeed() {
	ExtBuilder::build_and_execute(|| {
		let grant = grant_org0();
		let id = anchor(ALICE, 1, None);
		let access = |who| EhrRecords::record_access(RuntimeOrigin::signed(who), id, TREAT);

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
			id,
			PurposeOfUse::Payment
		));
		assert_eq!(last_entry().outcome, AuditOutcome::Denied(DenialReason::OutOfScope));
		// Revoked.
		go_to(3);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), grant));
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
			LAB.into(),
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
			EhrRecords::record_access(RuntimeOrigin::signed(DOCTOR), RecordId(9), TREAT),
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
		assert_ok!(EhrRecords::record_access(RuntimeOrigin::signed(NURSE), v2, TREAT));
		assert_ok!(EhrRecords::retract_record(RuntimeOrigin::signed(NURSE), v1));
		assert_ok!(EhrRecords::erase_record(RuntimeOrigin::signed(ALICE), v1));
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), grant));
		assert_ok!(EhrRecords::record_access(RuntimeOrigin::signed(NURSE), v2, TREAT));

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

#[test]
fn calls_need_a_signed_origin() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			EhrRecords::anchor_record(
				RuntimeOrigin::root(),
				patient(),
				LAB,
				digest(1),
				None,
				None,
				TREAT
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			EhrRecords::record_access(RuntimeOrigin::none(), RecordId(0), TREAT),
			DispatchError::BadOrigin
		);
		assert_noop!(
			EhrRecords::anchor_batch(RuntimeOrigin::root(), [1; 32], 1),
			DispatchError::BadOrigin
		);
	});
}

mod security;
