//! The reads the runtime API serves: records, digests, version chains and batches.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use ehr_primitives::{hashing::verify_merkle_proof, Digest, OrgId, PatientId, RecordId};
use polkadot_sdk::{
	frame_support::pallet_prelude::*, frame_system::pallet_prelude::BlockNumberFor,
};

impl<T: Config> Pallet<T> {
	/// The latest version of the chain of a record with `version`.
	fn latest_of(id: RecordId, version: &Version) -> RecordId {
		if version.successor.is_none() {
			id
		} else {
			LatestVersion::<T>::get(version.chain).unwrap_or(id)
		}
	}

	fn view(id: RecordId, record: RecordOf<T>) -> RecordViewOf<T> {
		RecordView {
			id,
			patient: record.patient,
			category: Some(record.category),
			digest: record.digest,
			locator: record.locator,
			author: Some(record.author),
			organisation: record.organisation,
			anchored_at: Some(record.anchored_at),
			timestamp: Some(record.timestamp),
			version: record.version,
			latest: Self::latest_of(id, &record.version),
			status: record.status,
		}
	}

	fn tombstone_view(id: RecordId, tombstone: Tombstone<BlockNumberFor<T>>) -> RecordViewOf<T> {
		RecordView {
			id,
			patient: tombstone.patient,
			category: None,
			digest: None,
			locator: None,
			author: None,
			organisation: None,
			anchored_at: None,
			timestamp: None,
			version: tombstone.version,
			latest: Self::latest_of(id, &tombstone.version),
			status: RecordStatus::Erased { at: tombstone.erased_at },
		}
	}

	/// A record by id; for an erased record, what its tombstone keeps.
	pub fn record(id: RecordId) -> Option<RecordViewOf<T>> {
		match Records::<T>::get(id) {
			Some(record) => Some(Self::view(id, record)),
			None => Tombstones::<T>::get(id).map(|tombstone| Self::tombstone_view(id, tombstone)),
		}
	}

	/// Verifies a document of `patient` by its digest: its record, status and place in the
	/// version chain, and the chain's latest version. At most three reads. `None` if the digest
	/// was never anchored for the patient or its record was erased.
	pub fn verify_digest(patient: PatientId, digest: Digest) -> Option<RecordViewOf<T>> {
		let id = RecordByDigest::<T>::get(patient, digest)?;
		Self::record(id)
	}

	/// The key under which an erased digest is remembered: a one-way hash of it.
	pub fn erased_key(digest: &Digest) -> [u8; 32] {
		polkadot_sdk::frame_support::Hashable::blake2_256(digest)
	}

	/// The latest version of the chain `id` belongs to.
	pub fn latest_version(id: RecordId) -> Option<RecordViewOf<T>> {
		let version = match Records::<T>::get(id) {
			Some(record) => record.version,
			None => Tombstones::<T>::get(id)?.version,
		};
		let latest = LatestVersion::<T>::get(version.chain).unwrap_or(version.chain);
		Self::record(latest)
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
