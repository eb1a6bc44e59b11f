//! Tests of `anchor_batch` and batch proofs.

use super::*;

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
