//! # EHR records pallet
//!
//! Proof that a health document existed, unaltered, at a time, written by an accredited author
//! under a valid consent; its versions, retraction and erasure; batch anchoring for bulk
//! imports; and the audited declaration that a provider read a document.
//!
//! ## Overview
//!
//! Hospitals keep the documents. The chain keeps, per document, a [`Record`] under the patient
//! and the document's [`RecordId`] (derived from its digest, [`Pallet::record_id`]): the
//! data category sealed with the patient's category key (a [`CategoryTag`]), the document's *salted* digest ([`ehr_primitives::hashing::salted_digest`]),
//! an optional 32-byte commitment to where the document is kept, the author and its
//! organisation, the block and the time.
//!
//! - **Anchoring** ([`anchor_record`](Pallet::anchor_record)): the author is an accredited
//!   provider for whom the consent check permits `write` on the category for the given purpose
//!   (a grant, or a break-glass window for `ETREAT`), or the patient side (a controller or a
//!   guardian in term). A digest is anchored at most once per patient (and never again once
//!   erased); the record holds a deposit from the
//!   author.
//! - **Versions**: anchoring with a `predecessor` amends the predecessor: the new record is the
//!   next version of the same chain. Chains are linear (only the latest version can be amended)
//!   and keep one category.
//! - **Verification** ([`Pallet::verify_digest`], runtime API): from a digest to its record, its
//!   status, its place in the chain and the chain's latest version: one read for the record
//!   and one per newer version (the chain keeps no separate latest-version index, so amending
//!   writes one item fewer).
//! - **Retraction** ([`retract_record`](Pallet::retract_record)): a provider of the author's
//!   organisation marks a record anchored in error; it still verifies, as retracted.
//! - **Erasure** ([`erase_record`](Pallet::erase_record)): the patient side removes the record;
//!   a [`Tombstone`] with the version links and the erasure block stays under the same key (nothing of
//!   what the record was about, who wrote it or when), and
//!   the deposit goes back to the author, but for the tombstone's share, which is burnt (the
//!   tombstone stays for good). Once a patient identity is closed, anyone may erase
//!   all of its records with [`erase_patient_records`](Pallet::erase_patient_records), at most
//!   [`Config::MaxErasePerCall`] per call (the patient side may do so too while open).
//! - **Batches** ([`anchor_batch`](Pallet::anchor_batch)): a provider anchors the Merkle root
//!   ([`ehr_primitives::hashing::merkle_root`]) of up to [`Config::MaxBatchLeaves`] digests in
//!   one call; the runtime API verifies a document with its proof against the root. A batch names
//!   no patient: its leaves are salted digests, meaningless without the documents.
//! - **Access** ([`record_access`](Pallet::record_access)): an accredited provider declares it
//!   read a record off chain, for a purpose. The consent check runs for `read`; the call succeeds
//!   either way and the audit trail gets an entry whose outcome is success or *denied* with the
//!   reason, since failed attempts are what a security audit looks for. Accounts that are not
//!   accredited (never, or revoked) are refused and write nothing. A document store calls it before it
//!   serves a document (see `docs/ehr-domain.md`).
//!
//! Every change and every access is appended to the patient's audit trail through
//! [`Config::AuditSink`].
//!
//! ## Terminology
//!
//! - **Record**: an anchored digest with its metadata, identified by its patient and a
//!   [`RecordId`] derived from the digest (unique per patient; calls name both).
//! - **Chain** (version chain): the versions of one document; named by its first record.
//! - **Latest version**: the chain's record without a successor.
//! - **Tombstone**: what an erased record leaves, under its patient and id: version links,
//!   erasure block.
//! - **Category tag**: a record's data category sealed with the patient's category key
//!   ([`ehr_primitives::CategoryTag`]); the chain compares tags and never learns a category.
//! - **Batch**: a Merkle root with its leaf count, anchoring many documents at once.
//!
//! ## Calls
//!
//! | Call | Origin |
//! |---|---|
//! | [`anchor_record`](Pallet::anchor_record) | signed by a provider with a write consent, or by the patient side |
//! | [`retract_record`](Pallet::retract_record) | signed by a provider of the author's organisation (the patient side for its own records) |
//! | [`erase_record`](Pallet::erase_record) | signed by a controller or guardian in term |
//! | [`erase_patient_records`](Pallet::erase_patient_records) | signed by anyone once the patient is closed; by the patient side before |
//! | [`anchor_batch`](Pallet::anchor_batch) | signed by an active provider |
//! | [`record_access`](Pallet::record_access) | signed by the accessing provider, accredited (in force or suspended) |
//!
//! ## No personal health information
//!
//! A record holds ids, a sealed category tag, a salted digest and a 32-byte commitment:
//! never a document, a URI, a name or free text. Clients must salt digests: an unsalted hash of
//! a short document can be found by guessing the document.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // tests may overflow: that panic fails the test
mod mock;
mod queries;
pub mod runtime_api;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // tests may overflow: that panic fails the test
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod try_state;
pub mod types;
pub mod weights;

pub use ehr_primitives::{
	CategoryTag, DenialReason, Digest, DigestAlgorithm, PatientId, PurposeOfUse, RecordId,
};
pub use types::*;
pub use weights::WeightInfo;

/// The most other grants and records of the patient the `record_access` benchmark sets up; its
/// weight is charged at this end of the range (it is flat in it).
pub const ACCESS_BENCHMARK_OTHERS: u32 = 64;

/// The most accesses the `record_accesses` benchmark declares in one call. Its weight is linear
/// in the number of accesses (each is the same worst case for its own patient), and the runtime
/// charges the benchmark's line at the call's actual count, up to [`Config::MaxBulkAccesses`].
pub const BULK_ACCESS_BENCHMARK_MAX: u32 = 100;

/// The most documents the `anchor_records` benchmark anchors in one call; as
/// [`BULK_ACCESS_BENCHMARK_MAX`], up to [`Config::MaxBulkAnchors`].
pub const BULK_ANCHOR_BENCHMARK_MAX: u32 = 100;

#[polkadot_sdk::frame_support::pallet]
#[allow(unused_qualifications)] // The macro expands to full paths through the umbrella crate.
pub mod pallet {
	use super::*;
	use ehr_primitives::{
		AuditOutcome, AuditSink, ConsentCheck, OrgId, PatientRegistry, ProviderRegistry,
	};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{fungible, Consideration, Footprint, Time},
		},
		frame_system::pallet_prelude::*,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// The timestamp type.
	pub type MomentOf<T> = <<T as Config>::Time as Time>::Moment;
	/// A record as stored.
	pub type RecordOf<T> = Record<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		MomentOf<T>,
		<T as Config>::RecordDeposit,
	>;
	/// A batch as stored.
	pub type BatchOf<T> = Batch<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		MomentOf<T>,
		<T as Config>::BatchDeposit,
	>;
	/// A record as the runtime API returns it.
	pub type RecordViewOf<T> = RecordView<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		MomentOf<T>,
	>;
	/// A batch as the runtime API returns it.
	pub type BatchViewOf<T> = BatchView<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		MomentOf<T>,
	>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;

		/// The overarching hold reason, which holds this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// The currency deposits are held in; `try_state` reads the held amounts from it.
		type Currency: fungible::InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The deposit held for each record, from its author, until it is erased.
		type RecordDeposit: Consideration<Self::AccountId, Footprint>;

		/// The deposit held for each batch, from its author.
		type BatchDeposit: Consideration<Self::AccountId, Footprint>;

		/// The patients: who exists, who may act for whom.
		type Patients: PatientRegistry<Self::AccountId, BlockNumberFor<Self>>;

		/// The accredited providers and organisations.
		type Providers: ProviderRegistry<Self::AccountId, BlockNumberFor<Self>>;

		/// The consent check that authorises writes and judges accesses.
		type Consent: ConsentCheck<Self::AccountId, BlockNumberFor<Self>>;

		/// Where anchoring, amendments, retractions, erasures and accesses are audited.
		type AuditSink: AuditSink<Self::AccountId, BlockNumberFor<Self>>;

		/// The clock records are timestamped with (milliseconds since the Unix epoch).
		type Time: Time;

		/// The most records one [`Pallet::erase_patient_records`] call erases.
		#[pallet::constant]
		type MaxErasePerCall: Get<u32>;

		/// The most documents one batch may anchor.
		#[pallet::constant]
		type MaxBatchLeaves: Get<u32>;

		/// The most accesses one [`Pallet::record_accesses`] call declares (at most
		/// `u16::MAX`, the largest index an error can name).
		#[pallet::constant]
		type MaxBulkAccesses: Get<u32>;

		/// The most documents one [`Pallet::anchor_records`] call anchors.
		#[pallet::constant]
		type MaxBulkAnchors: Get<u32>;

		/// The clock this pallet's blocks are counted in. A runtime gives it the relay chain's
		/// block number, whose 6-second pace does not change with the parachain's block time
		/// (security review, finding 17); tests give it `frame_system`.
		type BlockNumberProvider: polkadot_sdk::sp_runtime::traits::BlockNumberProvider<
			BlockNumber = BlockNumberFor<Self>,
		>;

		/// Weights of the calls, from the benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The reasons this pallet holds funds for.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of an anchored record.
		RecordDeposit,
		/// The deposit of an anchored batch.
		BatchDeposit,
	}

	/// Records by patient and id, active or retracted. Erasure moves a record to
	/// [`Tombstones`].
	///
	/// One item per record is the whole index (the performance review): the id is derived
	/// from the digest ([`Pallet::record_id`]), so the key is also the verification index and
	/// the uniqueness check (a digest is anchored once per patient); the patient prefix is the
	/// per-patient enumeration that erasure walks; no counter is written.
	///
	/// Blake2 on the patient (influenced by users); Twox64Concat on the id (derived from a
	/// digest users choose, under a prefix only the patient's authorised writers reach).
	#[pallet::storage]
	pub type Records<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Twox64Concat,
		RecordId,
		RecordOf<T>,
		OptionQuery,
	>;

	/// What erasure left of erased records: the version links and the block; no category,
	/// digest, author, organisation or anchoring time. Its key also stops the erased document
	/// from being anchored again for the patient (the id is derived from the digest): only
	/// eight bytes of a one-way hash of the salted digest stay. The record's burnt deposit
	/// share pays for it.
	///
	/// Hashers as [`Records`].
	#[pallet::storage]
	pub type Tombstones<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Twox64Concat,
		RecordId,
		Tombstone<BlockNumberFor<T>>,
		OptionQuery,
	>;

	/// Anchored batches by organisation and Merkle root: a root is unique per organisation, so
	/// no provider of another organisation can take or poison (with a wrong leaf count) the
	/// root an organisation anchors (finding 6).
	///
	/// Twox64Concat on the organisation (ids assigned in order); Blake2 on the root (chosen by
	/// users).
	#[pallet::storage]
	pub type Batches<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		OrgId,
		Blake2_128Concat,
		[u8; 32],
		BatchOf<T>,
		OptionQuery,
	>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A document was anchored, as a first version or as an amendment of `predecessor`.
		RecordAnchored {
			/// The new record.
			record: RecordId,
			/// The patient.
			patient: PatientId,
			/// The data category, sealed with the patient's category key.
			category: CategoryTag,
			/// The salted digest.
			digest: Digest,
			/// Who anchored it.
			author: T::AccountId,
			/// The author's organisation; `None` for the patient side.
			organisation: Option<OrgId>,
			/// The version it amends, if any.
			predecessor: Option<RecordId>,
			/// Its version number.
			version: u32,
		},
		/// A record was retracted by its author's organisation.
		RecordRetracted {
			/// The record.
			record: RecordId,
			/// The patient.
			patient: PatientId,
			/// Who retracted it.
			retracted_by: T::AccountId,
		},
		/// A record was erased: only its [`Tombstone`] remains; its deposit was released but for
		/// the tombstone's share, which was burnt.
		RecordErased {
			/// The record.
			record: RecordId,
			/// The patient.
			patient: PatientId,
			/// Who erased it.
			erased_by: T::AccountId,
		},
		/// A step of erasing a patient's records finished.
		PatientRecordsErased {
			/// The patient.
			patient: PatientId,
			/// How many records this step erased.
			erased: u32,
			/// Whether records are left to erase: call again if so.
			more: bool,
		},
		/// A batch of documents was anchored by its Merkle root.
		BatchAnchored {
			/// The Merkle root.
			root: [u8; 32],
			/// How many documents the tree has.
			leaf_count: u32,
			/// The provider.
			author: T::AccountId,
			/// Its organisation.
			organisation: OrgId,
		},
		/// A provider declared it read a record; `outcome` says whether consent permitted it.
		RecordAccessed {
			/// The record.
			record: RecordId,
			/// The patient.
			patient: PatientId,
			/// Who declared the access.
			accessor: T::AccountId,
			/// The purpose of use.
			purpose: PurposeOfUse,
			/// Success, or denied with the reason.
			outcome: AuditOutcome,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No such patient (`erase_patient_records`; calls that act for a patient fail with the
		/// identity pallet's errors instead).
		PatientNotFound,
		/// The signer may not do this: not the patient side and (where that suffices) not an
		/// active provider.
		NotAuthorized,
		/// The signer is not an active accredited provider.
		NotAccredited,
		/// The consent check denied the provider's write, for the reason given: no grant covers
		/// `write` on this category for this purpose and role, or the grant that does has not
		/// started, has expired, was revoked, or the provider has left its organisation.
		WriteDenied(DenialReason),
		/// The digest (or batch root) is all zeros.
		InvalidDigest,
		/// This digest is already anchored for this patient.
		DigestAlreadyAnchored,
		/// A record of this patient with this digest was erased: the document cannot be
		/// anchored again for the patient.
		DigestErased,
		/// Another digest of this patient has the same record id (eight bytes of a hash: about
		/// one chance in 2^64 per pair); anchor the document under a new salt.
		RecordIdTaken,
		/// No such record.
		RecordNotFound,
		/// No such predecessor record.
		PredecessorNotFound,
		/// The amendment's category tag differs from its predecessor's.
		CategoryMismatch,
		/// The category tag's slot is out of range.
		InvalidCategoryTag,
		/// The predecessor already has a newer version; amend the latest one.
		NotLatestVersion,
		/// The predecessor is retracted or erased and cannot be amended.
		RecordNotActive,
		/// The chain has the most versions a `u32` counts.
		TooManyVersions,
		/// The signer is not a provider of the organisation that authored the record.
		NotAuthorOrganisation,
		/// The record is already retracted.
		AlreadyRetracted,
		/// The record is already erased.
		AlreadyErased,
		/// The record was erased; nothing about its document remains to act on.
		RecordErased,
		/// The patient has no records left to erase (or `max` is zero).
		NothingToErase,
		/// A batch must anchor at least one document.
		EmptyBatch,
		/// The batch has more than [`Config::MaxBatchLeaves`] documents.
		BatchTooLarge,
		/// The signer's organisation already anchored a batch with this root.
		BatchAlreadyAnchored,
		/// A bulk declaration must declare at least one access.
		NoAccesses,
		/// A bulk anchoring must anchor at least one document.
		NoRecords,
		/// The access at this index (from 0) of a bulk declaration names no record of its
		/// patient; nothing of the declaration was recorded.
		AccessedRecordNotFound(u16),
		/// The access at this index (from 0) of a bulk declaration names an erased record;
		/// nothing of the declaration was recorded.
		AccessedRecordErased(u16),
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxErasePerCall::get() >= 1, "MaxErasePerCall must be at least 1");
			assert!(T::MaxBatchLeaves::get() >= 1, "MaxBatchLeaves must be at least 1");
			assert!(
				(1..=u32::from(u16::MAX)).contains(&T::MaxBulkAccesses::get()),
				"MaxBulkAccesses must be between 1 and u16::MAX"
			);
			assert!(T::MaxBulkAnchors::get() >= 1, "MaxBulkAnchors must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Anchors a document of `patient`: its `category`, its salted `digest` and, if given, a
		/// commitment to its off-chain `locator`. With a `predecessor`, the record is the next
		/// version of the predecessor's chain (an amendment). A deposit is held from the signer
		/// until the record is erased. The record's id is in the event.
		///
		/// The origin must be _Signed_, by an active provider whom the consent check permits
		/// `write` on `category` of `patient` for `purpose` (a grant, or an emergency window
		/// for `ETREAT`), or by a controller of `patient` or a guardian in term.
		///
		/// # Events
		/// [`Event::RecordAnchored`]; audited as `RecordAnchored` or `RecordAmended`.
		///
		/// # Errors
		/// - the identity pallet's `PatientNotFound`, `PatientClosed` or `NotAuthorized` (through
		///   [`PatientRegistry::agent_error`](ehr_primitives::PatientRegistry::agent_error)): no open patient, or (not being a provider either) the signer may not act
		///   for it.
		/// - [`Error::NotAuthorized`]: neither the patient side nor an active provider.
		/// - [`Error::WriteDenied`]: the consent check denied the write, with its
		///   [`DenialReason`].
		/// - [`Error::InvalidCategoryTag`]: the tag's slot is out of range.
		/// - [`Error::InvalidDigest`]: an all-zero digest.
		/// - [`Error::DigestAlreadyAnchored`]: the digest is anchored already for `patient`.
		/// - [`Error::DigestErased`]: a record of `patient` with this digest was erased.
		/// - [`Error::RecordIdTaken`]: another digest of `patient` has the same record id.
		/// - [`Error::PredecessorNotFound`] (no such record of `patient`),
		///   [`Error::CategoryMismatch`], [`Error::NotLatestVersion`],
		///   [`Error::RecordNotActive`], [`Error::TooManyVersions`]: the predecessor cannot be
		///   amended by this record.
		/// - The deposit cannot be held.
		///
		/// O(1). A first version is weighed by the `anchor_record` benchmark, an amendment by
		/// `amend_record` (it also rewrites the predecessor); both run the consent check in its
		/// worst case (the benchmarks set it up with `ConsentCheck::permit_for_benchmark`).
		#[pallet::call_index(0)]
		#[pallet::weight(match predecessor {
			None => T::WeightInfo::anchor_record(),
			Some(_) => T::WeightInfo::amend_record(),
		})]
		pub fn anchor_record(
			origin: OriginFor<T>,
			patient: PatientId,
			category: CategoryTag,
			digest: Digest,
			locator: Option<[u8; 32]>,
			predecessor: Option<RecordId>,
			purpose: PurposeOfUse,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_anchor(who, patient, category, digest, locator, predecessor, purpose)
				.map(|_| ())
		}

		/// Retracts `record` of `patient`, anchored in error. It stays, with its digest, marked
		/// retracted.
		///
		/// The origin must be _Signed_ by an active provider of the organisation that authored
		/// the record; for a record the patient side anchored, by a controller or guardian in
		/// term.
		///
		/// # Events
		/// [`Event::RecordRetracted`]; audited as `RecordRetracted`.
		///
		/// # Errors
		/// - [`Error::RecordNotFound`]: no such record.
		/// - [`Error::RecordErased`]: the record is erased.
		/// - [`Error::AlreadyRetracted`]: it is retracted already.
		/// - [`Error::NotAccredited`]: the signer is not an active provider (provider-authored
		///   record).
		/// - [`Error::NotAuthorOrganisation`]: the signer's organisation did not author it.
		/// - the identity pallet's `PatientNotFound`, `PatientClosed` or `NotAuthorized` (through
		///   [`PatientRegistry::agent_error`](ehr_primitives::PatientRegistry::agent_error)): the signer may not act for the patient (patient-authored record).
		///
		/// O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::retract_record())]
		pub fn retract_record(
			origin: OriginFor<T>,
			patient: PatientId,
			record: RecordId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retract(who, patient, record)
		}

		/// Erases `record` of `patient` (GDPR erasure): removes the record (its category, digest, locator
		/// commitment, author, organisation and times) and keeps a [`Tombstone`] with the
		/// patient, the version links and the erasure block, and releases the deposit to
		/// the author but for the tombstone's share ([`Pallet::tombstone_footprint`]), which is
		/// burnt: the tombstone stays for good. The digest can no longer be verified.
		///
		/// The origin must be _Signed_ by a controller of the record's patient or a guardian in
		/// term.
		///
		/// # Events
		/// [`Event::RecordErased`]; audited as `RecordErased`.
		///
		/// # Errors
		/// - [`Error::RecordNotFound`]: no such record.
		/// - the identity pallet's `PatientNotFound`, `PatientClosed` or `NotAuthorized` (through
		///   [`PatientRegistry::agent_error`](ehr_primitives::PatientRegistry::agent_error)): the signer may not act for the patient (use
		///   [`erase_patient_records`](Pallet::erase_patient_records) for a closed one).
		/// - [`Error::AlreadyErased`]: it is erased already.
		///
		/// O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::erase_record())]
		pub fn erase_record(
			origin: OriginFor<T>,
			patient: PatientId,
			record: RecordId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_erase_one(who, patient, record)
		}

		/// Erases up to `max` (at most [`Config::MaxErasePerCall`]) of the patient's records
		/// that are not erased yet, as [`erase_record`](Pallet::erase_record) does each. Call it
		/// again until the event says no more remain. The fee is for `max`; the unused part is
		/// refunded.
		///
		/// The origin must be _Signed_: by anyone once the patient's identity is closed; by a
		/// controller or guardian in term while it is open.
		///
		/// # Events
		/// [`Event::RecordErased`] for each record, then [`Event::PatientRecordsErased`].
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: no such patient.
		/// - the identity pallet's `PatientNotFound`, `PatientClosed` or `NotAuthorized` (through
		///   [`PatientRegistry::agent_error`](ehr_primitives::PatientRegistry::agent_error)): the patient is open and the signer may not act for it.
		/// - [`Error::NothingToErase`]: no records left, or `max` is zero.
		///
		/// O(`max`).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::erase_patient_records(Pallet::<T>::clamp_erase(*max)))]
		pub fn erase_patient_records(
			origin: OriginFor<T>,
			patient: PatientId,
			max: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let erased = Self::do_erase_patient(who, patient, Self::clamp_erase(max))?;
			Ok(Some(T::WeightInfo::erase_patient_records(erased)).into())
		}

		/// Anchors the Merkle root of a batch of `leaf_count` documents (see
		/// [`ehr_primitives::hashing`] for the tree). Each document is then verified with its
		/// proof through the runtime API. A deposit is held from the signer.
		///
		/// The origin must be _Signed_ by an active accredited provider.
		///
		/// # Events
		/// [`Event::BatchAnchored`]. (A batch names no patient, so no audit trail gets an
		/// entry.)
		///
		/// # Errors
		/// - [`Error::NotAccredited`]: the signer is not an active provider.
		/// - [`Error::InvalidDigest`]: an all-zero root.
		/// - [`Error::EmptyBatch`], [`Error::BatchTooLarge`]: `leaf_count` is 0 or above
		///   [`Config::MaxBatchLeaves`].
		/// - [`Error::BatchAlreadyAnchored`]: the signer's organisation anchored the root already.
		/// - The deposit cannot be held.
		///
		/// O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::anchor_batch())]
		pub fn anchor_batch(
			origin: OriginFor<T>,
			root: [u8; 32],
			leaf_count: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_anchor_batch(who, root, leaf_count)
		}

		/// Declares that the signer read the document of `record` of `patient` off chain, for
		/// `purpose`. The
		/// consent check for `read` runs (a grant, or an emergency window for `ETREAT`); the
		/// call succeeds either way, and the audit entry and the event carry the outcome:
		/// success, or denied with the reason. A document store calls this before it serves a
		/// document and serves it only on success.
		///
		/// The origin must be _Signed_ by an accredited provider, the one that accesses the
		/// document. A suspended provider (or a provider of a suspended organisation) is still
		/// accredited: its attempt is recorded as denied (`NotAccredited`), because an insider
		/// trying after suspension is what an audit must show. Any other account is refused and
		/// nothing is written, so nobody outside the accredited providers can add entries to a
		/// patient's trail.
		///
		/// # Events
		/// [`Event::RecordAccessed`]; audited as `RecordAccessed`.
		///
		/// # Errors
		/// - [`Error::NotAccredited`]: the signer was never accredited, or its accreditation was
		///   revoked.
		/// - [`Error::RecordNotFound`]: no such record.
		/// - [`Error::RecordErased`]: the record is erased.
		///
		/// O(1): the check reads only the grants to this provider and its organisation,
		/// however many grants and records the patient has.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::record_access(ACCESS_BENCHMARK_OTHERS))]
		pub fn record_access(
			origin: OriginFor<T>,
			patient: PatientId,
			record: RecordId,
			purpose: PurposeOfUse,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_record_access(who, patient, record, purpose)
		}

		/// Declares many accesses in one extrinsic, for document stores: each is checked and
		/// audited exactly as [`Pallet::record_access`] does it (the consent check for `read`,
		/// an audit entry in its patient's trail and a [`Event::RecordAccessed`] with the
		/// outcome, permitted or denied), and the transaction's own cost (its base weight, its
		/// extensions and its fee's length part) is paid once for all of them. Either every
		/// access is recorded or, if one names no live record, none is.
		///
		/// The origin must be _Signed_ by an accredited provider, the one that accessed the
		/// documents.
		///
		/// # Events
		/// [`Event::RecordAccessed`] for each access, in order.
		///
		/// # Errors
		/// - [`Error::NoAccesses`]: `accesses` is empty.
		/// - [`Error::NotAccredited`]: the signer was never accredited, or its accreditation was
		///   revoked.
		/// - [`Error::AccessedRecordNotFound`], [`Error::AccessedRecordErased`]: the access at
		///   that index names no record of its patient, or an erased one.
		///
		/// O(`accesses`): weighed by the `record_accesses` benchmark, each access a different
		/// patient whose consent check is in its worst case.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::record_accesses(accesses.len() as u32))]
		pub fn record_accesses(
			origin: OriginFor<T>,
			accesses: BoundedVec<DeclaredAccess, T::MaxBulkAccesses>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_record_accesses(who, accesses)
		}

		/// Anchors many documents in one extrinsic, for document stores: each is checked,
		/// charged its deposit and audited exactly as [`Pallet::anchor_record`] does it, in
		/// order (a document may amend one anchored earlier in the same call), and the
		/// transaction's own cost is paid once for all of them. Either every document is
		/// anchored or none is: the first that [`Pallet::anchor_record`] would refuse fails the
		/// whole call with that refusal's error.
		///
		/// The origin: as for [`Pallet::anchor_record`], for every document.
		///
		/// # Events
		/// [`Event::RecordAnchored`] for each document, in order.
		///
		/// # Errors
		/// - [`Error::NoRecords`]: `records` is empty.
		/// - Any error of [`Pallet::anchor_record`], for the first document it refuses.
		///
		/// O(`records`): weighed by the `anchor_records` benchmark, in which every document is
		/// an amendment (the costlier kind) of a different patient whose consent check is in
		/// its worst case; first versions are charged as amendments.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::anchor_records(records.len() as u32))]
		pub fn anchor_records(
			origin: OriginFor<T>,
			records: BoundedVec<NewRecord, T::MaxBulkAnchors>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!records.is_empty(), Error::<T>::NoRecords);
			for record in records {
				Self::do_anchor(
					who.clone(),
					record.patient,
					record.category,
					record.digest,
					record.locator,
					record.predecessor,
					record.purpose,
				)?;
			}
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The record id of a digest: the first eight bytes of
		/// `blake2_256("ehr/record-id/v1" ‖ SCALE(digest))`, read little-endian. Deriving the
		/// id from the digest makes one storage key serve as the record's id, the verification
		/// index and the uniqueness check, and needs no counter (the performance review). Ids
		/// are unique per patient; two digests of one patient share an id with a chance of
		/// about 2^-64 per pair, refused as [`Error::RecordIdTaken`].
		pub fn record_id(digest: &Digest) -> RecordId {
			let mut data = b"ehr/record-id/v1".to_vec();
			digest.encode_to(&mut data);
			let hash = polkadot_sdk::sp_io::hashing::blake2_256(&data);
			RecordId(hash.first_chunk::<8>().map_or(0, |bytes| u64::from_le_bytes(*bytes)))
		}

		/// The footprint a record's deposit is priced by: the record and its key (the
		/// patient's `Blake2_128Concat` and the id's `Twox64Concat`).
		pub fn record_footprint() -> Footprint {
			let size = RecordOf::<T>::max_encoded_len()
				.saturating_add(RecordId::max_encoded_len().saturating_mul(2))
				.saturating_add(PatientId::max_encoded_len().saturating_add(16));
			Footprint::from_parts(1, size)
		}

		/// The footprint of an erased record's tombstone with its key,
		/// which stay for good: the part of the record's deposit that is burnt on erasure.
		pub fn tombstone_footprint() -> Footprint {
			let size = RecordId::max_encoded_len()
				.saturating_mul(2)
				.saturating_add(Tombstone::<BlockNumberFor<T>>::max_encoded_len())
				.saturating_add(PatientId::max_encoded_len().saturating_add(16));
			Footprint::from_parts(1, size)
		}

		/// The footprint a batch's deposit is priced by.
		pub fn batch_footprint() -> Footprint {
			Footprint::from_mel::<(OrgId, [u8; 32], BatchOf<T>)>()
		}

		/// `max`, at most [`Config::MaxErasePerCall`].
		pub fn clamp_erase(max: u32) -> u32 {
			max.min(T::MaxErasePerCall::get())
		}
	}
}
