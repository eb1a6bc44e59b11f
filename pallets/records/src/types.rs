//! The stored types of anchored records and batches, and the views the runtime API returns.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use ehr_primitives::{DataCategory, Digest, OrgId, PatientId, RecordId};
use scale_info::TypeInfo;

/// Where a record stands.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum RecordStatus<BlockNumber> {
	/// In force (it may still have a newer version: see its `successor`).
	Active,
	/// Retracted by its author's organisation (anchored in error) at the given block. The
	/// digest stays, so the document still verifies, as retracted.
	Retracted {
		/// The block it was retracted in.
		at: BlockNumber,
	},
	/// Erased by the patient side at the given block: the digest and the locator commitment
	/// are gone and only this tombstone and the version links remain.
	Erased {
		/// The block it was erased in.
		at: BlockNumber,
	},
}

/// A record's place in its version chain. An amendment is a new record whose predecessor is
/// the latest version; chains are linear.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Version {
	/// The first version of the chain, which names the chain.
	pub chain: RecordId,
	/// The version number, from 1.
	pub number: u32,
	/// The previous version, if any.
	pub predecessor: Option<RecordId>,
	/// The next version, if the record was amended.
	pub successor: Option<RecordId>,
}

/// An anchored record, as stored.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Record<AccountId, BlockNumber, Moment, Ticket> {
	/// The patient the document is about.
	pub patient: PatientId,
	/// The document's data category.
	pub category: DataCategory,
	/// The document's salted digest; `None` once erased.
	pub digest: Option<Digest>,
	/// A 32-byte commitment to where the document is kept off chain (for example a hash of
	/// its URI with a salt); never the locator itself. `None` if not given, or once erased.
	pub locator: Option<[u8; 32]>,
	/// The account that anchored it: a provider, or a controller or guardian of the patient.
	pub author: AccountId,
	/// The author's organisation; `None` if the patient side anchored it.
	pub organisation: Option<OrgId>,
	/// The block it was anchored in.
	pub anchored_at: BlockNumber,
	/// That block's timestamp, in milliseconds since the Unix epoch.
	pub timestamp: Moment,
	/// Its place in the version chain.
	pub version: Version,
	/// Active, retracted or erased.
	pub status: RecordStatus<BlockNumber>,
	/// The deposit held from the author; `None` once erased (it is released then).
	pub deposit: Option<Ticket>,
}

impl<AccountId, BlockNumber, Moment, Ticket> Record<AccountId, BlockNumber, Moment, Ticket> {
	/// Whether the record was erased.
	pub fn is_erased(&self) -> bool {
		matches!(self.status, RecordStatus::Erased { .. })
	}
}

/// A record as the runtime API returns it: the stored record without its deposit ticket, with
/// its id and the id of the latest version of its chain.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct RecordView<AccountId, BlockNumber, Moment> {
	/// The record's id.
	pub id: RecordId,
	/// The patient.
	pub patient: PatientId,
	/// The data category.
	pub category: DataCategory,
	/// The digest; `None` once erased.
	pub digest: Option<Digest>,
	/// The locator commitment; `None` if not given or once erased.
	pub locator: Option<[u8; 32]>,
	/// Who anchored it.
	pub author: AccountId,
	/// The author's organisation; `None` for the patient side.
	pub organisation: Option<OrgId>,
	/// The block it was anchored in.
	pub anchored_at: BlockNumber,
	/// That block's timestamp (ms).
	pub timestamp: Moment,
	/// Its place in the version chain.
	pub version: Version,
	/// The latest version of its chain (itself if it is the latest).
	pub latest: RecordId,
	/// Active, retracted or erased.
	pub status: RecordStatus<BlockNumber>,
}

/// A Merkle root of a batch of documents, as stored.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Batch<AccountId, BlockNumber, Moment, Ticket> {
	/// How many documents (leaves) the tree has.
	pub leaf_count: u32,
	/// The provider who anchored it.
	pub author: AccountId,
	/// Its organisation.
	pub organisation: OrgId,
	/// The block it was anchored in.
	pub anchored_at: BlockNumber,
	/// That block's timestamp (ms).
	pub timestamp: Moment,
	/// The deposit held from the author.
	pub deposit: Ticket,
}

/// A batch as the runtime API returns it.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct BatchView<AccountId, BlockNumber, Moment> {
	/// The Merkle root.
	pub root: [u8; 32],
	/// How many documents the tree has.
	pub leaf_count: u32,
	/// The provider who anchored it.
	pub author: AccountId,
	/// Its organisation.
	pub organisation: OrgId,
	/// The block it was anchored in.
	pub anchored_at: BlockNumber,
	/// That block's timestamp (ms).
	pub timestamp: Moment,
}

/// Why a batch proof does not verify.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum BatchProofError {
	/// No batch with that root is anchored.
	UnknownBatch,
	/// The leaf index is not below the batch's leaf count.
	IndexOutOfRange,
	/// The proof does not lead from the document to the root.
	InvalidProof,
}
