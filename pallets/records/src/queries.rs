//! The reads the runtime API serves: records, digests, version chains and batches.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use ehr_primitives::{hashing::verify_merkle_proof, Digest, OrgId, PatientId, RecordId};
use polkadot_sdk::{
	frame_support::pallet_prelude::*, frame_system::pallet_prelude::BlockNumberFor,
};

impl<T: Config> Pallet<T> {
	/// The latest version of the chain of a record with `version`: its successors followed to
	/// the end (one read per newer version; the chain keeps no separate index, so amending
	/// writes one item fewer).
	fn latest_of(patient: PatientId, id: RecordId, version: &Version) -> RecordId {
		let mut latest = id;
		let mut next = version.successor;
		while let Some(successor) = next {
			latest = successor;
			next = Self::version_of(patient, successor).and_then(|v| v.successor);
		}
		latest
	}

	/// The place in its version chain of record `id` of `patient`, live or erased.
	fn version_of(patient: PatientId, id: RecordId) -> Option<Version> {
		match Records::<T>::get(patient, id) {
			Some(record) => Some(record.version),
			None => Tombstones::<T>::get(patient, id).map(|t| t.version),
		}
	}

	fn view(patient: PatientId, id: RecordId, record: RecordOf<T>) -> RecordViewOf<T> {
		RecordView {
			id,
			patient,
			category: Some(record.category),
			digest: Some(record.digest),
			locator: record.locator,
			author: Some(record.author),
			organisation: record.organisation,
			anchored_at: Some(record.anchored_at),
			timestamp: Some(record.timestamp),
			version: record.version,
			latest: Self::latest_of(patient, id, &record.version),
			status: record.status,
		}
	}

	fn tombstone_view(
		patient: PatientId,
		id: RecordId,
		tombstone: Tombstone<BlockNumberFor<T>>,
	) -> RecordViewOf<T> {
		RecordView {
			id,
			patient,
			category: None,
			digest: None,
			locator: None,
			author: None,
			organisation: None,
			anchored_at: None,
			timestamp: None,
			version: tombstone.version,
			latest: Self::latest_of(patient, id, &tombstone.version),
			status: RecordStatus::Erased { at: tombstone.erased_at },
		}
	}

	/// A record of `patient` by id; for an erased record, what its tombstone keeps.
	pub fn record(patient: PatientId, id: RecordId) -> Option<RecordViewOf<T>> {
		match Records::<T>::get(patient, id) {
			Some(record) => Some(Self::view(patient, id, record)),
			None => Tombstones::<T>::get(patient, id)
				.map(|tombstone| Self::tombstone_view(patient, id, tombstone)),
		}
	}

	/// Verifies a document of `patient` by its digest: its record, status and place in the
	/// version chain, and the chain's latest version. One read, and one per newer version.
	/// `None` if the digest was never anchored for the patient or its record was erased.
	pub fn verify_digest(patient: PatientId, digest: Digest) -> Option<RecordViewOf<T>> {
		let id = Self::record_id(&digest);
		let record = Records::<T>::get(patient, id).filter(|record| record.digest == digest)?;
		Some(Self::view(patient, id, record))
	}

	/// The latest version of the chain record `id` of `patient` belongs to.
	pub fn latest_version(patient: PatientId, id: RecordId) -> Option<RecordViewOf<T>> {
		let version = Self::version_of(patient, id)?;
		Self::record(patient, Self::latest_of(patient, id, &version))
	}

	/// A batch by the organisation that anchored it and its root.
	pub fn batch(organisation: OrgId, root: [u8; 32]) -> Option<BatchViewOf<T>> {
		Batches::<T>::get(organisation, root).map(|b| BatchView {
			root,
			leaf_count: b.leaf_count,
			author: b.author,
			organisation: b.organisation,
			anchored_at: b.anchored_at,
			timestamp: b.timestamp,
		})
	}

	/// Verifies that `digest` is document number `index` of the batch `organisation` anchored
	/// with `root`.
	pub fn verify_batch_proof(
		organisation: OrgId,
		root: [u8; 32],
		index: u32,
		digest: Digest,
		proof: Vec<[u8; 32]>,
	) -> Result<BatchViewOf<T>, BatchProofError> {
		let batch = Self::batch(organisation, root).ok_or(BatchProofError::UnknownBatch)?;
		ensure!(index < batch.leaf_count, BatchProofError::IndexOutOfRange);
		ensure!(
			verify_merkle_proof(&root, batch.leaf_count, index, &digest, &proof),
			BatchProofError::InvalidProof
		);
		Ok(batch)
	}
}
