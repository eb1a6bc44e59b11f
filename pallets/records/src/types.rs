//! The stored types of anchored records and batches, and the views the runtime API returns.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use ehr_primitives::{CategoryTag, Digest, OrgId, PatientId, PurposeOfUse, RecordId};
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
	/// Erased by the patient side at the given block: the record is gone and only a
	/// [`Tombstone`] (the patient, the version links and this block) remains.
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
	/// The document's data category, sealed with the patient's category key.
	pub category: CategoryTag,
	/// The document's salted digest (the record's id is derived from it).
	pub digest: Digest,
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
	/// The deposit held from the author (erasure releases it, but for the tombstone's share).
	pub deposit: Ticket,
}

/// What erasure leaves of a record, for good: what keeps the patient's version chains
/// consistent, and nothing that says what the record was about, who wrote it or when.
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
pub struct Tombstone<BlockNumber> {
	/// Its place in its version chain.
	pub version: Version,
	/// The block it was erased in.
	pub erased_at: BlockNumber,
}

/// A record as the runtime API returns it: the stored record without its deposit ticket, with
/// its id and the id of the latest version of its chain. For an erased record (status
/// `Erased`) only the tombstone's fields are set: category, digest, locator, author,
/// organisation and times are `None`.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct RecordView<AccountId, BlockNumber, Moment> {
	/// The record's id.
	pub id: RecordId,
	/// The patient.
	pub patient: PatientId,
	/// The sealed data category; `None` once erased.
	pub category: Option<CategoryTag>,
	/// The digest; `None` once erased.
	pub digest: Option<Digest>,
	/// The locator commitment; `None` if not given or once erased.
	pub locator: Option<[u8; 32]>,
	/// Who anchored it; `None` once erased.
	pub author: Option<AccountId>,
	/// The author's organisation; `None` for the patient side, or once erased.
	pub organisation: Option<OrgId>,
	/// The block it was anchored in; `None` once erased.
	pub anchored_at: Option<BlockNumber>,
	/// That block's timestamp (ms); `None` once erased.
	pub timestamp: Option<Moment>,
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

/// One access of a bulk declaration ([`crate::Pallet::record_accesses`]): the signer read the
/// document of `record` of `patient` off chain, for `purpose`.
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
pub struct DeclaredAccess {
	/// The patient.
	pub patient: PatientId,
	/// The record read.
	pub record: RecordId,
	/// The purpose of use.
	pub purpose: PurposeOfUse,
}

/// One document of a bulk anchoring ([`crate::Pallet::anchor_records`]): the arguments of one
/// [`crate::Pallet::anchor_record`].
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
pub struct NewRecord {
	/// The patient.
	pub patient: PatientId,
	/// The document's category tag.
	pub category: CategoryTag,
	/// The document's salted digest.
	pub digest: Digest,
	/// A commitment to where the document is kept, if given.
	pub locator: Option<[u8; 32]>,
	/// The record this one amends, if any.
	pub predecessor: Option<RecordId>,
	/// The purpose of use the write is made for.
	pub purpose: PurposeOfUse,
}
