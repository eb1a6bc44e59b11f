//! # EHR audit pallet
//!
//! The consortium's audit trail: for every patient, an append-only log of who did what to the
//! patient's consents, records and identity, for which purpose and with which outcome, kept in
//! state for [`Config::Retention`] blocks (six years and more in the runtime, for HIPAA
//! 164.528) and protected by a hash chain.
//!
//! ## Overview
//!
//! Nobody calls this pallet to write: the identity, consent and records pallets append entries
//! through the [`ehr_primitives::AuditSink`] trait, which this pallet implements, in the same
//! transaction as the change they audit. Each entry ([`AuditEntry`]) gets the next index of the
//! patient's trail, the block and its timestamp. Denied attempts are entries too (a provider
//! declaring a read it had no consent for), because failed attempts are what a security audit
//! looks for.
//!
//! **Tamper evidence.** Each patient's [`Trail`] keeps a head:
//! `head = BLAKE2b-256(previous head ‖ SCALE(entry))`, starting from
//! `BLAKE2b-256("ehr/audit/v1" ‖ patient id)` ([`genesis_head`]). Anyone holding a copy of the
//! trail (from the runtime API, an archive node or a hospital's own log) can recompute the head
//! with [`fold_chain`] and compare it with the chain's: a changed, dropped, inserted or
//! reordered entry gives another head.
//!
//! **Retention.** Entries older than [`Config::Retention`] blocks can be
//! [pruned](Pallet::prune_trail) by anyone. The trail then keeps, as its `anchor`, the head just
//! before the oldest stored entry, so the stored entries still fold onto the head, and a copy
//! taken before pruning still checks against the head recorded at that time.
//!
//! **Queries** (all in [`runtime_api::AuditApi`], for `api.call.auditApi.*`): the trail's head
//! and counts ([`Pallet::trail_head`]), a page of entries from an index
//! ([`Pallet::trail_entries`]), and an accounting of disclosures over a time range
//! ([`Pallet::disclosures`]): successful record accesses by providers, that is by parties outside
//! the patient.
//!
//! ## Terminology
//!
//! The entry follows FHIR R5 `AuditEvent`: *agent* ([`AuditEntry::actor`] and its
//! organisation), *subtype* ([`AuditEntry::action`]), *entity* ([`AuditEntry::entity`]),
//! *purposeOfEvent* ([`AuditEntry::purpose`]), *outcome* ([`AuditEntry::outcome`]) and
//! *recorded* (block and time).
//!
//! - **Trail**: the entries of one patient, indexed from 0.
//! - **Head**: the hash chain's value after the last entry. **Anchor**: its value just before the
//!   oldest stored entry.
//! - **Disclosure**: an entry whose action discloses data to its actor
//!   ([`AuditAction::is_disclosure`]), that succeeded, by a provider.
//!
//! ## Calls
//!
//! | Call | Origin |
//! |---|---|
//! | [`prune_trail`](Pallet::prune_trail) | signed by anyone |
//!
//! ## Storage and deposits
//!
//! Entries are bounded in size ([`AuditEntry`] has `MaxEncodedLen`) and in lifetime
//! ([`Config::Retention`]). They hold no deposit: no account owns them (the patient may not
//! delete its trail, a provider may not delete the record of its access), the transaction that
//! appends one pays for it in its weight, and pruning frees them.
//!
//! ## No personal health information
//!
//! An entry holds ids, fixed-size codes and block numbers, never text.

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

pub use ehr_primitives::{AuditAction, AuditActor, AuditEntity, AuditOutcome, PatientId};
pub use types::*;
pub use weights::WeightInfo;

#[polkadot_sdk::frame_support::pallet]
#[allow(unused_qualifications)] // The macro expands to full paths through the umbrella crate.
pub mod pallet {
	use super::*;
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, traits::Time},
		frame_system::pallet_prelude::*,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// The timestamp type of entries.
	pub type MomentOf<T> = <<T as Config>::Time as Time>::Moment;
	/// An entry as stored.
	pub type AuditEntryOf<T> = AuditEntry<
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

		/// The clock entries are timestamped with (milliseconds since the Unix epoch).
		type Time: Time;

		/// How many blocks an entry is kept before it may be pruned.
		#[pallet::constant]
		type Retention: Get<BlockNumberFor<Self>>;

		/// The most entries one query returns and one prune call removes.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// The clock this pallet's blocks are counted in. A runtime gives it the relay chain's
		/// block number, whose 6-second pace does not change with the parachain's block time
		/// (security review, finding 17); tests give it `frame_system`.
		type BlockNumberProvider: polkadot_sdk::sp_runtime::traits::BlockNumberProvider<
			BlockNumber = BlockNumberFor<Self>,
		>;

		/// Weights of the calls, from the benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Each patient's trail: counts, anchor and head. Absent until the first entry.
	///
	/// Blake2: patient ids are influenced by users.
	#[pallet::storage]
	pub type Trails<T: Config> = StorageMap<_, Blake2_128Concat, PatientId, Trail, OptionQuery>;

	/// The stored entries, by patient and index.
	///
	/// Blake2 on the patient (influenced by users); Twox64Concat on the index (assigned in
	/// order).
	#[pallet::storage]
	pub type Entries<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Twox64Concat,
		u64,
		AuditEntryOf<T>,
		OptionQuery,
	>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An entry was appended to a patient's trail.
		EntryAppended {
			/// The patient.
			patient: PatientId,
			/// The entry's index.
			index: u64,
			/// What happened.
			action: AuditAction,
			/// Whether it succeeded.
			outcome: AuditOutcome,
			/// The trail's head after the entry.
			head: [u8; 32],
		},
		/// Entries past the retention period were removed.
		TrailPruned {
			/// The patient.
			patient: PatientId,
			/// How many entries were removed.
			removed: u32,
			/// The index of the oldest entry still stored.
			first_retained: u64,
			/// The chain's value just before that entry.
			anchor: [u8; 32],
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The patient has no audit trail.
		TrailNotFound,
		/// No stored entry of the trail is past the retention period (or `max` is zero).
		NothingToPrune,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::Retention::get().is_zero(), "Retention must be positive");
			assert!(T::MaxPageSize::get() >= 1, "MaxPageSize must be at least 1");
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
		/// Removes up to `max` of the patient's oldest entries that are past the retention
		/// period (at most [`Config::MaxPageSize`]), and moves the trail's anchor past them so
		/// the remaining entries still fold onto the head. The fee is for the `max` asked; the
		/// unused part is refunded.
		///
		/// The origin must be _Signed_, by anyone.
		///
		/// # Events
		/// [`Event::TrailPruned`].
		///
		/// # Errors
		/// - [`Error::TrailNotFound`]: the patient has no trail.
		/// - [`Error::NothingToPrune`]: the oldest stored entry is within the retention period,
		///   or `max` is zero.
		///
		/// O(`max`).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::prune_trail(Pallet::<T>::clamp_page(*max)))]
		pub fn prune_trail(
			origin: OriginFor<T>,
			patient: PatientId,
			max: u32,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let removed = Self::do_prune(patient, Self::clamp_page(max))?;
			Ok(Some(T::WeightInfo::prune_trail(removed)).into())
		}
	}
}
