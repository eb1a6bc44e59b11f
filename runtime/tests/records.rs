//! Records and the audit trail inside the real runtime: a provider anchors, amends, accesses
//! and retracts, a stranger's access is refused and leaves no entry, the patient erases, and a batch is
//! anchored, all through signed extrinsics in built blocks; then the runtime APIs are called in
//! the real WASM executor on the resulting state (as `api.call.recordsApi.*` and
//! `api.call.auditApi.*` do), and an importing node re-executes the blocks to the same trail.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod common;

use codec::{Decode, Encode};
use common::{account, ext_from_preset, signed, BlockBuilder, ExecuteChecked};
use ehr_primitives::{
	hashing::{merkle_proof, merkle_root, salted_digest},
	Actions, AuditAction, AuditActor, AuditEntity, AuditOutcome, DataCategory, Digest,
	DigestAlgorithm, Grantee, OrgId, PatientId, PurposeOfUse, Purposes, RecordId,
};
use ehr_runtime::{AccountId, BlockNumber, Executive, RuntimeCall};
use pallet_ehr_audit::{fold_chain, genesis_head, AuditEntry, DisclosurePage, Trail};
use pallet_ehr_records::{BatchProofError, BatchView, RecordStatus, RecordView};
use polkadot_sdk::{
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring::{Bob, Charlie, Dave, Eve},
};

type View = RecordView<AccountId, BlockNumber, u64>;
type Entry = AuditEntry<AccountId, BlockNumber, u64>;

/// Calls a runtime API function in the real WASM executor on `ext`'s state.
fn wasm_call<R: Decode>(ext: &mut TestExternalities, method: &str, input: impl Encode) -> R {
	let bytes = common::wasm_call_raw(ext, method, &input.encode());
	R::decode(&mut &bytes[..]).unwrap_or_else(|e| panic!("{method} result decodes: {e}"))
}

fn doc(n: u8) -> Digest {
	salted_digest(DigestAlgorithm::Sha2_256, &[n; 32], b"discharge summary")
}

fn anchor(patient: PatientId, n: u8, predecessor: Option<RecordId>) -> RuntimeCall {
	RuntimeCall::EhrRecords(pallet_ehr_records::Call::anchor_record {
		patient,
		category: common::tag(DataCategory::Laboratory),
		digest: doc(n),
		locator: Some([9; 32]),
		predecessor,
		purpose: PurposeOfUse::Treatment,
	})
}

fn access(patient: PatientId, record: RecordId) -> RuntimeCall {
	RuntimeCall::EhrRecords(pallet_ehr_records::Call::record_access {
		patient,
		record,
		purpose: PurposeOfUse::Treatment,
	})
}

#[test]
fn anchor_amend_access_retract_erase_and_query_through_the_wasm_runtime_api() {
	let mut builder = BlockBuilder::default();
	let mut blocks = Vec::new();
	let mut ext = ext_from_preset(DEV_RUNTIME_PRESET);
	let batch: Vec<Digest> = (100..105).map(doc).collect();
	let root = merkle_root(&batch).expect("a root");
	// Record ids are derived from the digests.
	let record_id = pallet_ehr_records::Pallet::<ehr_runtime::Runtime>::record_id;
	let (v1, v2) = (record_id(&doc(1)), record_id(&doc(2)));

	let (patient, consent_id) = ext.execute_checked(|| {
		// Block 1: Charlie registers a patient (the preset has Bob accredited in organisation 0).
		let (block, results) = builder.build(common::register_charlie());
		assert!(results.iter().all(|r| matches!(r, Ok(Ok(())))), "{results:?}");
		blocks.push(block);
		let patient = common::registered_patient();

		// Block 2: Charlie grants organisation 0 read and write on labs for treatment.
		let (block, results) = builder.build(vec![signed(
			RuntimeCall::EhrConsent(pallet_ehr_consent::Call::grant_consent {
				patient,
				grantee: Grantee::Organisation(OrgId(0)),
				categories: common::sealed(&[DataCategory::Laboratory]),
				actions: Actions::ALL,
				purposes: Purposes::from(PurposeOfUse::Treatment),
				roles: ehr_primitives::ProviderRoles::ALL,
				valid_from: 0,
				valid_until: None,
			}),
			Charlie,
			1,
		)]);
		assert_eq!(results[0], Ok(Ok(())));
		blocks.push(block);
		let consent_id = pallet_ehr_consent::Grants::<ehr_runtime::Runtime>::get(
			patient,
			Grantee::Organisation(OrgId(0)),
		)
		.last()
		.expect("granted")
		.id();

		// Block 3: Bob anchors a document and amends it; Bob reads the amendment; Eve (no
		// consent, no accreditation) tries to and is refused, leaving nothing in the trail
		// (security review, finding 1); a stranger cannot anchor.
		let (block, results) = builder.build(vec![
			signed(anchor(patient, 1, None), Bob, 0),
			signed(anchor(patient, 2, Some(v1)), Bob, 1),
			signed(access(patient, v2), Bob, 2),
			signed(access(patient, v2), Eve, 0),
			signed(anchor(patient, 3, None), Dave, 0),
		]);
		assert_eq!(results[..3], [Ok(Ok(())), Ok(Ok(())), Ok(Ok(()))]);
		assert_eq!(
			results[3],
			Ok(Err(pallet_ehr_records::Error::<ehr_runtime::Runtime>::NotAccredited.into()))
		);
		assert_eq!(
			results[4],
			Ok(Err(pallet_ehr_records::Error::<ehr_runtime::Runtime>::NotAuthorized.into()))
		);
		blocks.push(block);

		// Block 4: Bob retracts the first version, Charlie erases it; Bob anchors a batch.
		let (block, results) = builder.build(vec![
			signed(
				RuntimeCall::EhrRecords(pallet_ehr_records::Call::retract_record {
					patient,
					record: v1,
				}),
				Bob,
				3,
			),
			signed(
				RuntimeCall::EhrRecords(pallet_ehr_records::Call::erase_record {
					patient,
					record: v1,
				}),
				Charlie,
				2,
			),
			signed(
				RuntimeCall::EhrRecords(pallet_ehr_records::Call::anchor_batch {
					root,
					leaf_count: batch.len() as u32,
				}),
				Bob,
				4,
			),
		]);
		assert!(results.iter().all(|r| matches!(r, Ok(Ok(())))), "{results:?}");
		blocks.push(block);
		(patient, consent_id)
	});

	// The runtime API, in WASM, on that state.
	let amended: Option<View> = wasm_call(&mut ext, "RecordsApi_verify_digest", (patient, doc(2)));
	let amended = amended.expect("the amendment verifies");
	assert_eq!((amended.id, amended.latest, amended.version.number), (v2, v2, 2));
	assert_eq!(
		(amended.author.clone(), amended.organisation),
		(Some(account(Bob)), Some(OrgId(0)))
	);
	assert_eq!(amended.status, RecordStatus::Active);
	let timestamp = amended.timestamp.expect("a live record has its time");
	assert!(timestamp > 1_700_000_000_000, "a real timestamp: {timestamp}");
	let erased: Option<View> = wasm_call(&mut ext, "RecordsApi_verify_digest", (patient, doc(1)));
	assert_eq!(erased, None, "an erased digest no longer verifies");
	let tombstone: Option<View> = wasm_call(&mut ext, "RecordsApi_record", (patient, v1));
	let tombstone = tombstone.expect("the tombstone stays");
	assert!(matches!(tombstone.status, RecordStatus::Erased { at: 4 }));
	assert_eq!((tombstone.digest, tombstone.locator, tombstone.latest), (None, None, v2));
	assert_eq!(
		(
			tombstone.category,
			tombstone.author.clone(),
			tombstone.organisation,
			tombstone.anchored_at
		),
		(None, None, None, None),
		"the tombstone says nothing of what the record was about or who wrote it"
	);
	let latest: Option<View> = wasm_call(&mut ext, "RecordsApi_latest_version", (patient, v1));
	assert_eq!(latest.map(|v| v.id), Some(v2));

	let proof = merkle_proof(&batch, 3).expect("a proof");
	let verified: Result<BatchView<AccountId, BlockNumber, u64>, BatchProofError> = wasm_call(
		&mut ext,
		"RecordsApi_verify_batch_proof",
		(OrgId(0), root, 3u32, batch[3], proof.clone()),
	);
	assert_eq!(verified.expect("the proof verifies").leaf_count, 5);
	let wrong: Result<BatchView<AccountId, BlockNumber, u64>, BatchProofError> = wasm_call(
		&mut ext,
		"RecordsApi_verify_batch_proof",
		(OrgId(0), root, 3u32, batch[2], proof),
	);
	assert_eq!(wrong, Err(BatchProofError::InvalidProof));

	let head: Option<Trail> = wasm_call(&mut ext, "AuditApi_trail_head", patient);
	let head = head.expect("the patient has a trail");
	let entries: Vec<Entry> = wasm_call(&mut ext, "AuditApi_trail", (patient, 0u64, 100u32));
	assert_eq!(entries.len() as u64, head.count);
	assert_eq!(fold_chain(genesis_head(&patient), &entries), head.head, "the trail checks");
	let story: Vec<_> = entries.iter().map(|e| (e.action, e.entity.clone(), e.outcome)).collect();
	let ok = AuditOutcome::Success;
	assert_eq!(
		story,
		[
			(AuditAction::ConsentGranted, AuditEntity::Consent(consent_id), ok),
			(AuditAction::RecordAnchored, AuditEntity::Record(v1), ok),
			(AuditAction::RecordAmended, AuditEntity::Record(v2), ok),
			(AuditAction::RecordAccessed, AuditEntity::Record(v2), ok),
			(AuditAction::RecordRetracted, AuditEntity::Record(v1), ok),
			(AuditAction::RecordErased, AuditEntity::Record(v1), ok),
		]
	);
	assert!(entries.iter().all(|e| e.time > 1_700_000_000_000));

	let disclosures: DisclosurePage<Entry> =
		wasm_call(&mut ext, "AuditApi_disclosures", (patient, 0u64, u64::MAX, None::<u64>, 10u32));
	assert_eq!(disclosures.next, None);
	assert_eq!(disclosures.items.len(), 1, "only Bob's permitted read is a disclosure");
	assert_eq!(disclosures.items[0].actor, AuditActor::Account(account(Bob)));

	// An importing node reaches the same trail.
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		for block in blocks {
			Executive::execute_block(block.into());
		}
		assert_eq!(
			pallet_ehr_audit::Pallet::<ehr_runtime::Runtime>::trail_head(patient),
			Some(head)
		);
	});
}
