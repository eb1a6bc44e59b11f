//! # EHR consent pallet
//!
//! Consent grants in the vocabulary of FHIR R5 `Consent`, break-glass emergency access, and the
//! consent check other pallets and clients use.
//!
//! ## Overview
//!
//! A patient's controller or guardian [grants](Pallet::grant_consent) a *grantee* (one provider,
//! or every provider of an organisation) the right to perform some *actions* on some *data
//! categories* for some *purposes of use*, during a period. The categories are *sealed*
//! ([`ehr_primitives::SealedCategories`], [`ehr_primitives::sealing`]): slots under the
//! patient's secret category key, padded with decoys to a fixed count, so a reader of the chain
//! learns neither which categories a grant covers nor how many. The grant gets a [`ConsentId`]
//! derived from the patient, the grantee and the block ([`Pallet::consent_id`]), holds a deposit
//! from the signer (or from the sponsor that submitted the call for the signer's key, see
//! [`Config::DepositPayer`]: a patient needs no balance), and is bounded per patient and grantee
//! ([`Config::MaxGrantsPerGrantee`]); a patient's grants to many grantees are bounded by the
//! deposits they hold. Revoking is free and immediate;
//! the grant keeps its revocation block. Expiry is enforced when access is checked. Revoked and
//! expired grants, and grants of closed patients, can be [reaped](Pallet::reap_consent) by anyone
//! and the deposit goes back to whoever paid it.
//!
//! **Break-glass.** An accredited provider may [open](Pallet::open_emergency_access) an
//! emergency window for a patient, for purpose `ETREAT` only, for
//! [`Config::EmergencyDuration`] blocks, with a salted commitment to a justification (never the
//! text, never an unsalted hash). It
//! is rate-limited per provider ([`Config::EmergencyRateLimit`] windows per
//! [`Config::EmergencyRatePeriod`]), always audited, and announced to the patient by
//! [`Event::EmergencyAccessOpened`]. The patient side, the provider, or
//! [`Config::EmergencyCloseOrigin`] (governance) may close it early.
//!
//! **The check** ([`Pallet::check_access`], the [`ehr_primitives::ConsentCheck`] trait and the
//! [`runtime_api::ConsentApi`] runtime API) answers "may account A perform action X on
//! sealed category C of patient P for purpose U at block N?" with *permitted by grant N*, *permitted by
//! emergency window*, or *denied* with a [`DenialReason`]. It reads only the patient's grants to
//! that provider and to its organisation (two items of [`Grants`]), so its cost does not grow
//! with the grants the patient gave anyone else; the `check_access` benchmark proves it with a
//! component for those other grants.
//!
//! **Storage.** One item per patient and grantee ([`Grants`]) holds that grantee's grants,
//! whole: granting, revoking, reaping and taking over a deposit each write that one item (and
//! the audit trail, and the deposit's hold); no id counter, no per-patient counter, no second
//! index. Calls that act on a grant name it by patient, grantee and id.
//!
//! ## Terminology
//!
//! - **Grant** (or consent): a [`Consent`] record. **Grantor**: the patient; **granted by**: the
//!   controller or guardian who signed.
//! - **Consent id**: [`ConsentId`], the first eight bytes of
//!   `BLAKE2b-256("ehr/consent-id/v1" ‖ SCALE(patient, grantee, granted_at, nonce))`, with the
//!   smallest `nonce` that no grant of the patient to the grantee has; unique among those grants
//!   (and, but for a 2^-64 chance, among all the patient's grants).
//! - **Period**: from `valid_from` to `valid_until`, both inclusive. A grant revoked in block R
//!   permits nothing from block R on.
//! - **Roles**: the provider roles a grant admits ([`ProviderRoles`]); a provider whose role
//!   is not among them gets [`DenialReason::OutOfScope`].
//! - **Ended**: revoked, past `valid_until`, or (for a grant to one provider) the provider has
//!   left the organisation it was accredited in when the grant was made. Ended grants permit
//!   nothing and may be reaped.
//! - **Blocks**: every block number here is one of [`Config::BlockNumberProvider`], the relay
//!   chain's in a runtime: six-second blocks whatever the parachain's block time.
//! - **Emergency window**: an [`EmergencyWindow`]; it covers blocks from `opened_at` up to, not
//!   including, `expires_at` (or the block it was closed in).
//!
//! ## Calls
//!
//! | Call | Origin |
//! |---|---|
//! | [`grant_consent`](Pallet::grant_consent) | signed by a controller or guardian in term |
//! | [`revoke_consent`](Pallet::revoke_consent) | signed by a controller or guardian in term; free |
//! | [`reap_consent`](Pallet::reap_consent) | signed by anyone |
//! | [`open_emergency_access`](Pallet::open_emergency_access) | signed by an active provider |
//! | [`close_emergency_access`](Pallet::close_emergency_access) | the patient side, the provider, or [`Config::EmergencyCloseOrigin`] |
//! | [`reap_emergency_access`](Pallet::reap_emergency_access) | signed by anyone |
//! | [`take_over_consent_deposit`](Pallet::take_over_consent_deposit) | signed by a controller or guardian in term |
//!
//! ## No personal health information
//!
//! Grants hold ids, fixed-size bit sets and block numbers; a justification is a 32-byte hash.

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
pub mod migrations;
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
	AccessBasis, AccessDecision, AccessRequest, Action, Actions, ConsentId, DenialReason, Grantee,
	PatientId, ProviderRole, ProviderRoles, PurposeOfUse, Purposes, SealedCategories,
};
pub use types::*;
pub use weights::WeightInfo;

#[polkadot_sdk::frame_support::pallet]
#[allow(unused_qualifications)] // The macro expands to full paths through the umbrella crate.
pub mod pallet {
	use super::*;
	use ehr_primitives::{AuditSink, OrgId, PatientRegistry, ProviderRegistry};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{fungible, Consideration, Footprint},
		},
		frame_system::pallet_prelude::*,
		sp_runtime::traits::BlockNumberProvider,
	};

	/// The in-code storage version.
	///
	/// 3: grants are kept whole per patient and grantee ([`Grants`]); `Consents`,
	/// `ConsentsByGrantee`, `ConsentCount` and `NextConsentId` are gone. No chain was deployed
	/// with versions 1 or 2, so there is no migration (see [`crate::migrations`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	/// A grant as stored.
	pub type ConsentOf<T> = Consent<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::ConsentDeposit,
	>;
	/// An emergency window as stored.
	pub type EmergencyWindowOf<T> =
		EmergencyWindow<BlockNumberFor<T>, <T as Config>::EmergencyDeposit>;
	/// The terms of a grant, as the index keeps them.
	pub type GrantTermsOf<T> = GrantTerms<BlockNumberFor<T>>;
	/// A grantee of this runtime.
	pub type GranteeOf<T> = Grantee<<T as polkadot_sdk::frame_system::Config>::AccountId>;

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

		/// The deposit held for each grant, from whoever signed it.
		type ConsentDeposit: Consideration<Self::AccountId, Footprint>;

		/// Who pays the deposit of a grant: the signer, or the sponsor that submitted the call
		/// for it (`pallet-ehr-sponsor`). It gets the deposit back when the grant is reaped.
		type DepositPayer: ehr_primitives::DepositPayer<Self::AccountId>;

		/// The deposit held for each emergency window, from its provider.
		type EmergencyDeposit: Consideration<Self::AccountId, Footprint>;

		/// The patients: who exists, who may act for whom.
		type Patients: PatientRegistry<Self::AccountId, BlockNumberFor<Self>>;

		/// The accredited providers and organisations.
		type Providers: ProviderRegistry<Self::AccountId, BlockNumberFor<Self>>;

		/// The clock every period of this pallet is counted in: grant periods, granting and
		/// revocation blocks, emergency windows and their rate limit. A runtime gives it the
		/// relay chain's block number, whose 6-second pace does not change with the parachain's
		/// block time (security review, finding 17); tests give it `frame_system`.
		type BlockNumberProvider: BlockNumberProvider<BlockNumber = BlockNumberFor<Self>>;

		/// Where grants, revocations, reaping and emergency windows are audited.
		type AuditSink: AuditSink<Self::AccountId, BlockNumberFor<Self>>;

		/// The origin, besides the patient side and the provider, that may close an emergency
		/// window early: consortium governance.
		type EmergencyCloseOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The maximum number of grants of one patient to one grantee at once.
		#[pallet::constant]
		type MaxGrantsPerGrantee: Get<u32>;

		/// How long an emergency window lasts, in blocks.
		#[pallet::constant]
		type EmergencyDuration: Get<BlockNumberFor<Self>>;

		/// How many emergency windows one provider may open in any [`Config::EmergencyRatePeriod`]
		/// consecutive blocks.
		#[pallet::constant]
		type EmergencyRateLimit: Get<u32>;

		/// The rate-limit period of emergency windows, in blocks.
		#[pallet::constant]
		type EmergencyRatePeriod: Get<BlockNumberFor<Self>>;

		/// Weights of the calls, from the benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The reasons this pallet holds funds for.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a consent grant.
		ConsentDeposit,
		/// The deposit of an emergency window.
		EmergencyDeposit,
	}

	/// A patient's grants to one grantee, whole (terms, depositor, deposit), in the order they
	/// were made; at most [`Config::MaxGrantsPerGrantee`]. It is the grants' only record, what
	/// the check reads, and (by iterating the patient's prefix) the list of all the patient's
	/// grants. An empty list is not stored.
	///
	/// Blake2 on both keys: patients' ids and grantee accounts are influenced by users.
	#[pallet::storage]
	pub type Grants<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Blake2_128Concat,
		GranteeOf<T>,
		BoundedVec<ConsentOf<T>, T::MaxGrantsPerGrantee>,
		ValueQuery,
	>;

	/// Emergency windows by patient and provider; an ended one stays until reaped or replaced.
	///
	/// Blake2 on both keys: patient ids and accounts are influenced by users.
	#[pallet::storage]
	pub type EmergencyAccess<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Blake2_128Concat,
		T::AccountId,
		EmergencyWindowOf<T>,
		OptionQuery,
	>;

	/// The blocks in which each provider opened its emergency windows of the last
	/// [`Config::EmergencyRatePeriod`] blocks, oldest first: a sliding window, so the limit
	/// holds over any period, not only over fixed ones. At most
	/// [`Config::EmergencyRateLimit`] entries.
	///
	/// Blake2: accounts are chosen by users.
	#[pallet::storage]
	pub type EmergencyRates<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<BlockNumberFor<T>, T::EmergencyRateLimit>,
		ValueQuery,
	>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A consent was granted.
		ConsentGranted {
			/// The new grant's id.
			consent_id: ConsentId,
			/// The patient.
			patient: PatientId,
			/// The grantee.
			grantee: GranteeOf<T>,
			/// The controller or guardian who signed.
			granted_by: T::AccountId,
		},
		/// A consent was revoked; it permits nothing from this block on.
		ConsentRevoked {
			/// The grant.
			consent_id: ConsentId,
			/// The patient.
			patient: PatientId,
			/// The grantee.
			grantee: GranteeOf<T>,
			/// Who revoked it.
			revoked_by: T::AccountId,
		},
		/// An ended grant was removed and its deposit released.
		ConsentReaped {
			/// The grant.
			consent_id: ConsentId,
			/// The patient.
			patient: PatientId,
			/// The grantee.
			grantee: GranteeOf<T>,
		},
		/// A controller or guardian took over the deposit of a grant: it is now held from
		/// `to`, and `from`'s was released.
		ConsentDepositTakenOver {
			/// The grant.
			consent_id: ConsentId,
			/// The patient.
			patient: PatientId,
			/// The grantee.
			grantee: GranteeOf<T>,
			/// Who held the deposit.
			from: T::AccountId,
			/// Who holds it now.
			to: T::AccountId,
		},
		/// A provider opened a break-glass emergency window on the patient's data.
		EmergencyAccessOpened {
			/// The patient.
			patient: PatientId,
			/// The provider.
			provider: T::AccountId,
			/// The provider's organisation.
			organisation: OrgId,
			/// The first block the window no longer covers.
			expires_at: BlockNumberFor<T>,
			/// The hash of the justification.
			justification: [u8; 32],
		},
		/// An emergency window was closed early.
		EmergencyAccessClosed {
			/// The patient.
			patient: PatientId,
			/// The provider.
			provider: T::AccountId,
			/// Who closed it; `None` for governance.
			closed_by: Option<T::AccountId>,
		},
		/// An ended emergency window was removed and its deposit released.
		EmergencyAccessReaped {
			/// The patient.
			patient: PatientId,
			/// The provider.
			provider: T::AccountId,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No such patient (opening an emergency window; calls that act for a patient fail with
		/// the identity pallet's errors instead).
		PatientNotFound,
		/// The patient's identity is closed (opening an emergency window).
		PatientClosed,
		/// The sealed categories do not have exactly
		/// [`SealedCategories::SIZE`](ehr_primitives::SealedCategories::SIZE) slots (the patient's
		/// app pads them with decoys, so that no grant shows how many categories it covers).
		InvalidCategories,
		/// The actions are empty or contain unknown bits.
		InvalidActions,
		/// The purposes are empty or contain unknown bits.
		InvalidPurposes,
		/// The provider roles are empty or contain unknown bits.
		InvalidRoles,
		/// A grant to one provider must admit that provider's role.
		RoleNotAdmitted,
		/// `valid_until` is before `valid_from` or before the current block.
		InvalidPeriod,
		/// The grantee is not an active provider or a registered organisation.
		UnknownGrantee,
		/// The patient holds [`Config::MaxGrantsPerGrantee`] grants to this grantee; reap ended
		/// ones first.
		TooManyGrantsForGrantee,
		/// The patient has no grant with this id to this grantee.
		ConsentNotFound,
		/// The grant is already revoked.
		AlreadyRevoked,
		/// The grant or window is still in force and cannot be reaped.
		NotEnded,
		/// The signer is not an active accredited provider.
		NotAccredited,
		/// The provider already has an open emergency window for this patient.
		EmergencyAlreadyOpen,
		/// The provider opened [`Config::EmergencyRateLimit`] windows in the last
		/// [`Config::EmergencyRatePeriod`] blocks.
		EmergencyRateLimited,
		/// No such emergency window.
		EmergencyNotFound,
		/// The emergency window has already ended.
		EmergencyNotOpen,
		/// The justification commitment is all zeros: no commitment at all.
		InvalidJustification,
		/// The signer already holds this grant's deposit.
		AlreadyDepositor,
		/// The grant has ended (revoked or expired): reap it instead, which releases the
		/// deposit.
		ConsentEnded,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxGrantsPerGrantee::get() >= 1, "MaxGrantsPerGrantee must be at least 1");
			assert!(!T::EmergencyDuration::get().is_zero(), "EmergencyDuration must be positive");
			assert!(
				!T::EmergencyRatePeriod::get().is_zero(),
				"EmergencyRatePeriod must be positive"
			);
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
		/// Grants `grantee` the right to perform `actions` on `categories` of `patient`'s data
		/// (sealed with the patient's category key, padded to a fixed number of slots) for
		/// `purposes`, from block `valid_from` to block `valid_until` (inclusive; `None`:
		/// no end; blocks of [`Config::BlockNumberProvider`]). The grant's [`ConsentId`]
		/// ([`Pallet::consent_id`]) is in the event. A deposit is held from the signer, or from the sponsor that submitted the
		/// call for it ([`Config::DepositPayer`]), until the grant is reaped. Revoking keeps the
		/// deposit held (the grant stays until reaped); reaping, which anyone may do once the
		/// grant ended, returns it to the account that paid it.
		///
		/// `roles` are the provider roles the grant admits (FHIR
		/// `Consent.provision.actor.role`): the check permits only a provider whose role is
		/// among them, so a grant to a hospital for treatment by
		/// [`ProviderRoles::CLINICAL`](ehr_primitives::ProviderRoles::CLINICAL) does not let
		/// its researchers or administrators in. A grant to one provider ends when that
		/// provider leaves the organisation it is accredited in now.
		///
		/// The origin must be _Signed_ by a controller of `patient` or a guardian in term.
		///
		/// # Events
		/// [`Event::ConsentGranted`].
		///
		/// # Errors
		/// - the identity pallet's `PatientNotFound`, `PatientClosed` or `NotAuthorized`
		///   ([`PatientRegistry::agent_error`](ehr_primitives::PatientRegistry::agent_error)): no open patient, or the signer may not act for it.
		/// - [`Error::InvalidCategories`]: not exactly `SealedCategories::SIZE` slots.
		/// - [`Error::InvalidActions`], [`Error::InvalidPurposes`], [`Error::InvalidRoles`]: an
		///   empty set or unknown bits.
		/// - [`Error::RoleNotAdmitted`]: a grant to one provider whose `roles` leave out that
		///   provider's role.
		/// - [`Error::InvalidPeriod`]: `valid_until` before `valid_from` or in the past.
		/// - [`Error::UnknownGrantee`]: not an active provider or a registered organisation.
		/// - [`Error::TooManyGrantsForGrantee`]: the patient holds
		///   [`Config::MaxGrantsPerGrantee`] grants to `grantee`.
		/// - The deposit cannot be held.
		///
		/// O(`MaxGrantsPerGrantee`).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::grant_consent())]
		pub fn grant_consent(
			origin: OriginFor<T>,
			patient: PatientId,
			grantee: GranteeOf<T>,
			categories: SealedCategories,
			actions: Actions,
			purposes: Purposes,
			roles: ProviderRoles,
			valid_from: BlockNumberFor<T>,
			valid_until: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_grant(
				who,
				patient,
				grantee,
				Scope { categories, actions, purposes, roles },
				valid_from,
				valid_until,
			)
		}

		/// Revokes `patient`'s grant `consent_id` to `grantee`. It permits nothing from this
		/// block on, and keeps its revocation block until it is reaped, so checks at earlier
		/// blocks still answer as they did.
		///
		/// The origin must be _Signed_ by a controller of `patient` or a guardian in term. It pays
		/// no fee when it succeeds.
		///
		/// # Events
		/// [`Event::ConsentRevoked`].
		///
		/// # Errors
		/// - the identity pallet's `PatientNotFound`, `PatientClosed` or `NotAuthorized`
		///   ([`PatientRegistry::agent_error`](ehr_primitives::PatientRegistry::agent_error)): the patient is closed (reap the grant instead), or the signer may not
		///   act for it.
		/// - [`Error::ConsentNotFound`]: no such grant.
		/// - [`Error::AlreadyRevoked`]: it is already revoked.
		///
		/// O(`MaxGrantsPerGrantee`).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::revoke_consent())]
		pub fn revoke_consent(
			origin: OriginFor<T>,
			patient: PatientId,
			grantee: GranteeOf<T>,
			consent_id: ConsentId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_revoke(who, patient, grantee, consent_id)?;
			Ok(Pays::No.into())
		}

		/// Removes `patient`'s grant `consent_id` to `grantee` if it ended (revoked, past
		/// `valid_until`, or its provider left the organisation) or the patient is closed, and
		/// releases the deposit to whoever paid it.
		///
		/// The origin must be _Signed_, by anyone.
		///
		/// # Events
		/// [`Event::ConsentReaped`].
		///
		/// # Errors
		/// - [`Error::ConsentNotFound`]: no such grant.
		/// - [`Error::NotEnded`]: the grant may still permit access.
		///
		/// O(`MaxGrantsPerGrantee`).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reap_consent())]
		pub fn reap_consent(
			origin: OriginFor<T>,
			patient: PatientId,
			grantee: GranteeOf<T>,
			consent_id: ConsentId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reap(who, patient, grantee, consent_id)
		}

		/// Opens a break-glass emergency window: for [`Config::EmergencyDuration`] blocks the
		/// signer may access every category of `patient`'s data for purpose `ETREAT` only. The
		/// patient is told by the event; the justification is kept off chain and only a salted
		/// commitment to it is given,
		/// [`justification_commitment`](ehr_primitives::hashing::justification_commitment)`(salt,
		/// text)` = `BLAKE2b-256(salt ‖ text)` with 32 fresh random bytes of salt kept with the
		/// text: an unsalted hash of a short clinical text can be recovered from the event by
		/// hashing likely texts. A deposit is held from the provider until the window is reaped.
		///
		/// The origin must be _Signed_ by an active accredited provider.
		///
		/// # Events
		/// [`Event::EmergencyAccessOpened`].
		///
		/// # Errors
		/// - [`Error::NotAccredited`]: the signer is not an active provider.
		/// - [`Error::InvalidJustification`]: an all-zero commitment.
		/// - [`Error::PatientNotFound`], [`Error::PatientClosed`]: no open patient.
		/// - [`Error::EmergencyAlreadyOpen`]: the signer's window for `patient` is open.
		/// - [`Error::EmergencyRateLimited`]: too many windows in the last
		///   [`Config::EmergencyRatePeriod`] blocks.
		/// - The deposit cannot be held.
		///
		/// O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::open_emergency_access())]
		pub fn open_emergency_access(
			origin: OriginFor<T>,
			patient: PatientId,
			justification: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_emergency(who, patient, justification)
		}

		/// Closes `provider`'s emergency window for `patient` early.
		///
		/// The origin must be _Signed_ by a controller of `patient`, a guardian in term, or the
		/// provider itself; or be [`Config::EmergencyCloseOrigin`].
		///
		/// # Events
		/// [`Event::EmergencyAccessClosed`].
		///
		/// # Errors
		/// - the identity pallet's `PatientNotFound`, `PatientClosed` or `NotAuthorized`
		///   ([`PatientRegistry::agent_error`](ehr_primitives::PatientRegistry::agent_error)): the signer is none of the above.
		/// - [`Error::EmergencyNotFound`]: no such window.
		/// - [`Error::EmergencyNotOpen`]: the window has already ended.
		///
		/// O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::close_emergency_access())]
		pub fn close_emergency_access(
			origin: OriginFor<T>,
			patient: PatientId,
			provider: T::AccountId,
		) -> DispatchResult {
			let closer = match T::EmergencyCloseOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_close_emergency(closer, patient, provider)
		}

		/// Removes an ended emergency window and releases its deposit to the provider.
		///
		/// The origin must be _Signed_, by anyone.
		///
		/// # Events
		/// [`Event::EmergencyAccessReaped`].
		///
		/// # Errors
		/// - [`Error::EmergencyNotFound`]: no such window.
		/// - [`Error::NotEnded`]: the window is still open.
		///
		/// O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::reap_emergency_access())]
		pub fn reap_emergency_access(
			origin: OriginFor<T>,
			patient: PatientId,
			provider: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_reap_emergency(patient, provider)
		}
		/// Takes over the deposit of `patient`'s grant `consent_id` to `grantee`, which must be in
		/// force: it is held from the signer from now on,
		/// and released to whoever held it. A guardian whose term ended, or a controller key
		/// that was removed, gets back the deposits of the open-ended grants it made this way,
		/// while the grants stay in force (they are the patient's consent, not the signer's).
		///
		/// The origin must be _Signed_ by a controller of the grant's patient or a guardian in
		/// term.
		///
		/// # Events
		/// [`Event::ConsentDepositTakenOver`].
		///
		/// # Errors
		/// - the identity pallet's `PatientNotFound`, `PatientClosed` or `NotAuthorized`
		///   ([`PatientRegistry::agent_error`](ehr_primitives::PatientRegistry::agent_error)): the signer may not act for the patient.
		/// - [`Error::ConsentNotFound`]: no such grant.
		/// - [`Error::AlreadyDepositor`]: the signer holds the deposit already.
		/// - [`Error::ConsentEnded`]: the grant ended; reaping it releases the deposit.
		/// - The deposit cannot be held from the signer.
		///
		/// O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::take_over_consent_deposit())]
		pub fn take_over_consent_deposit(
			origin: OriginFor<T>,
			patient: PatientId,
			grantee: GranteeOf<T>,
			consent_id: ConsentId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_take_over_deposit(who, patient, grantee, consent_id)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The footprint a grant's deposit is priced by: the grant as [`Grants`] keeps it, with
		/// the item's key (each grant pays for the whole key, as if it were alone in its item).
		pub fn consent_footprint() -> Footprint {
			Footprint::from_mel::<(PatientId, GranteeOf<T>, ConsentOf<T>)>()
		}

		/// The footprint an emergency window's deposit is priced by.
		pub fn emergency_footprint() -> Footprint {
			Footprint::from_mel::<(PatientId, T::AccountId, EmergencyWindowOf<T>)>()
		}
	}
}

/// The top of the `check_access` benchmark's component, the grants a patient gave grantees
/// other than the provider and its organisation: the check's weight is taken there (it is flat
/// in it; the benchmark shows it).
pub const CHECK_BENCHMARK_OTHER_GRANTS: u32 = 64;

/// The scope of a grant: what it covers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Scope {
	/// The data categories, sealed.
	pub categories: SealedCategories,
	/// The actions.
	pub actions: Actions,
	/// The purposes of use.
	pub purposes: Purposes,
	/// The provider roles admitted.
	pub roles: ProviderRoles,
}
