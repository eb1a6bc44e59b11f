//! The runtime API of the records pallet, for document stores and `@polkadot/api`
//! (`api.call.recordsApi.*`).

use crate::types::{BatchProofError, BatchView, RecordView};
use alloc::vec::Vec;
use codec::Codec;
use ehr_primitives::{Digest, OrgId, PatientId, RecordId};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Record lookup and verification.
	pub trait RecordsApi<AccountId, BlockNumber, Moment>
	where
		AccountId: Codec,
		BlockNumber: Codec,
		Moment: Codec,
	{
		/// A record of a patient by id, tombstones included.
		fn record(
			patient: PatientId,
			id: RecordId,
		) -> Option<RecordView<AccountId, BlockNumber, Moment>>;

		/// Verifies a document of `patient` by its salted digest: its record, status, place in
		/// the version chain and the chain's latest version. `None` if never anchored for the
		/// patient, or erased. (Digests are unique per patient, not globally.)
		fn verify_digest(
			patient: PatientId,
			digest: Digest,
		) -> Option<RecordView<AccountId, BlockNumber, Moment>>;

		/// The latest version of the chain the record belongs to.
		fn latest_version(
			patient: PatientId,
			id: RecordId,
		) -> Option<RecordView<AccountId, BlockNumber, Moment>>;

		/// A batch by the organisation that anchored it and its Merkle root.
		fn batch(
			organisation: OrgId,
			root: [u8; 32],
		) -> Option<BatchView<AccountId, BlockNumber, Moment>>;

		/// Verifies that `digest` is document number `index` of the batch `organisation`
		/// anchored with `root`, given its Merkle proof (siblings from the leaf up).
		fn verify_batch_proof(
			organisation: OrgId,
			root: [u8; 32],
			index: u32,
			digest: Digest,
			proof: Vec<[u8; 32]>,
		) -> Result<BatchView<AccountId, BlockNumber, Moment>, BatchProofError>;
	}
}
