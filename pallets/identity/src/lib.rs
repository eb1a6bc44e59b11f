//! # EHR identity pallet
//!
//! Pseudonymous patient identities and the accreditation of providers.
//!
//! ## Overview
//!
//! **Patients.** A signed account registers a patient identity and becomes its first
//! *controller*. The chain generates the [`PatientId`] from a counter, the registering account and
//! the parent block hash: it is never derived from personal data (HIPAA 164.514(c)). The
//! registrant pays a deposit, held until the identity is closed. A patient may have several
//! controllers (devices, keys; at most [`Config::MaxControllers`]), may rotate a key without
//! changing its id, and may have *guardians* (at most [`Config::MaxGuardians`]) who act for it
//! until an optional end block: parents of minors, representatives of incapacitated patients.
//! Closing the identity is the GDPR erasure entry point: the record, its controllers and its
//! guardians are removed, a tombstone with the closing block stays, and from then on no consent
//! authorises anything.
//!
//! **Onboarding and keys that hold nothing.** An organisation's admin or system account may
//! register a patient at intake ([`onboard_patient`](Pallet::onboard_patient)) with the patient's
//! own key as first controller; the key agrees by signing the chain, the organisation, its nonce
//! and an expiry, and the organisation's account holds the deposit. Deposits of signed calls are
//! held from [`Config::DepositPayer`]: the signer, or the sponsor that submitted the call for it
//! (`pallet-ehr-sponsor`). Controllers, guardians and invited keys have their `frame_system`
//! accounts kept alive (a sufficient reference, priced into the deposit), so a key that holds
//! nothing still has a nonce to sign sponsored calls with.
//!
//! **Recovery.** A controller names in advance who may recover the identity if every key is
//! lost ([`set_recovery`](Pallet::set_recovery)): a threshold of trusted accounts and a delay.
//! One friend starts a recovery to a new key, friends approve, and after the delay the new key
//! claims the identity and becomes its only controller; any remaining controller can cancel
//! meanwhile. Every step is audited. This is the rule set of polkadot-sdk's `pallet-recovery`
//! built into the identity: that pallet recovers an *account* (the rescuer then acts as the lost
//! account), which would leave the lost key in the identity and keep the steps out of the
//! patient's trail; here the identity itself moves to the new key.
//!
//! **Providers.** The [`Config::AccreditationOrigin`] (consortium governance) registers member
//! organisations and accredits accounts as providers of an organisation with a
//! [`ProviderRole`], and may suspend, reinstate and revoke any of them. An organisation's own
//! admin account may accredit providers into its organisation and suspend them (its own staff
//! only); reinstating and revoking stay with governance, so an admin cannot undo a suspension
//! governance imposed, and an account governance revoked is remembered ([`RevokedProviders`]) so
//! that no admin can accredit it again. Governance may also replace or remove an organisation's
//! admin and suspend a whole organisation, which takes every one of its providers out of force
//! and silences its admin until governance reinstates it.
//!
//! Other pallets see this one through [`ehr_primitives::PatientRegistry`] and
//! [`ehr_primitives::ProviderRegistry`]. Changes to controllers and guardians, and closing, go to
//! the [`Config::AuditSink`].
//!
//! ## Terminology
//!
//! - **Controller**: an account that controls a patient identity. An account controls at most
//!   one identity, looked up in [`PatientOf`].
//! - **Guardian**: an account that acts for a patient until its term ends. The end block is
//!   exclusive: at block `until` the guardian can no longer act. It lies on the grid of
//!   [`Config::GuardianTermGranularity`] (a year in the runtime), so that a minor's term does not
//!   publish its birth date.
//! - **Tombstone**: what remains of a closed identity: its id and the closing block, in
//!   [`ClosedPatients`].
//! - **Organisation**: a member of the consortium, numbered by [`OrgId`], with an admin account.
//! - **Provider**: an account accredited under an organisation with a role; active or suspended.
//!
//! ## Calls
//!
//! | Call | Origin |
//! |---|---|
//! | [`register_patient`](Pallet::register_patient) | signed, not yet a controller |
//! | [`add_controller`](Pallet::add_controller) | signed by a controller (an invitation) |
//! | [`remove_controller`](Pallet::remove_controller) | signed by a controller |
//! | [`replace_controller`](Pallet::replace_controller) | signed by the controller being replaced (an invitation) |
//! | [`accept_controller`](Pallet::accept_controller) | signed by the invited account |
//! | [`add_guardian`](Pallet::add_guardian) | signed by a controller |
//! | [`remove_guardian`](Pallet::remove_guardian) | signed by a controller or the guardian |
//! | [`close_patient`](Pallet::close_patient) | signed by a controller |
//! | [`set_recovery`](Pallet::set_recovery) | signed by a controller |
//! | [`remove_recovery`](Pallet::remove_recovery) | signed by a controller |
//! | [`initiate_recovery`](Pallet::initiate_recovery) | signed by a recovery friend |
//! | [`approve_recovery`](Pallet::approve_recovery) | signed by a recovery friend |
//! | [`cancel_recovery`](Pallet::cancel_recovery) | signed by a controller |
//! | [`claim_recovery`](Pallet::claim_recovery) | signed by the new key, after the threshold and the delay |
//! | [`onboard_patient`](Pallet::onboard_patient) | signed by an organisation's admin or its system or administrator account, with the patient key's signed agreement |
//! | [`register_organisation`](Pallet::register_organisation) | [`Config::AccreditationOrigin`] |
//! | [`accredit_provider`](Pallet::accredit_provider) | [`Config::AccreditationOrigin`], or signed by the organisation's admin |
//! | [`suspend_provider`](Pallet::suspend_provider) | [`Config::AccreditationOrigin`], or signed by the admin of the provider's organisation |
//! | [`reinstate_provider`](Pallet::reinstate_provider) | [`Config::AccreditationOrigin`] |
//! | [`revoke_provider`](Pallet::revoke_provider) | [`Config::AccreditationOrigin`] |
//! | [`set_organisation_admin`](Pallet::set_organisation_admin) | [`Config::AccreditationOrigin`] |
//! | [`suspend_organisation`](Pallet::suspend_organisation) | [`Config::AccreditationOrigin`] |
//! | [`reinstate_organisation`](Pallet::reinstate_organisation) | [`Config::AccreditationOrigin`] |
//!
//! ## No personal health information
//!
//! Nothing here holds free text or personal data: ids are opaque, roles are fixed codes.

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
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // tests may overflow: that panic fails the test
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod try_state;
pub mod types;
pub mod weights;

pub use ehr_primitives::{OrgId, PatientId, ProviderRole};
pub use types::*;
pub use weights::WeightInfo;

#[polkadot_sdk::frame_support::pallet]
#[allow(unused_qualifications)] // The macro expands to full paths through the umbrella crate.
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use ehr_primitives::AuditSink;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{fungible, Consideration, Footprint},
		},
		frame_system::pallet_prelude::*,
		sp_runtime::traits::{IdentifyAccount, Verify},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// An open patient identity, as stored.
	pub type PatientOfConfig<T> = Patient<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::PatientDeposit,
		<T as Config>::MaxControllers,
		<T as Config>::MaxGuardians,
	>;

	/// A patient's recovery configuration, as stored.
	pub type RecoveryConfigOf<T> = RecoveryConfig<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxRecoveryFriends,
	>;

	/// A recovery under way, as stored.
	pub type ActiveRecoveryOf<T> = ActiveRecovery<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::RecoveryDeposit,
		<T as Config>::MaxRecoveryFriends,
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

		/// The deposit held for an open patient identity, priced by the footprint of its record.
		type PatientDeposit: Consideration<Self::AccountId, Footprint>;

		/// The origin that registers organisations and accredits, suspends, reinstates and
		/// revokes providers: consortium governance.
		type AccreditationOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The maximum number of controllers of one patient.
		#[pallet::constant]
		type MaxControllers: Get<u32>;

		/// The maximum number of guardians of one patient.
		#[pallet::constant]
		type MaxGuardians: Get<u32>;

		/// Who pays the deposit of an identity a signed call creates: the signer, or the sponsor
		/// that submitted the call for it (`pallet-ehr-sponsor`).
		type DepositPayer: ehr_primitives::DepositPayer<Self::AccountId>;

		/// The signature a patient's key gives to agree to be onboarded by an organisation
		/// ([`onboard_patient`](Pallet::onboard_patient)): `MultiSignature` in a runtime.
		type OnboardingSignature: Verify<Signer = Self::OnboardingSigner> + Parameter;

		/// The public key of [`Config::OnboardingSignature`], which is the patient's account.
		type OnboardingSigner: IdentifyAccount<AccountId = Self::AccountId>;

		/// How far ahead of the current block an onboarding agreement may expire: the window in
		/// which it can be used at all. Short, since the agreement's nonce is the account's and
		/// an account that controlled a closed identity starts over from nonce 0.
		#[pallet::constant]
		type MaxOnboardingValidity: Get<BlockNumberFor<Self>>;

		/// The most trusted accounts a recovery configuration names.
		#[pallet::constant]
		type MaxRecoveryFriends: Get<u32>;

		/// The grid a guardian's term must end on: `until` is a multiple of it. A term is public,
		/// and a minor's guardian ending at the exact block of majority would publish the
		/// minor's birth date; on a grid of a year, a term says no more than the year (HIPAA's
		/// safe harbour keeps years). The patient's app rounds the age of majority *up* to the
		/// grid; the patient, once of age and a controller, removes the guardian earlier.
		#[pallet::constant]
		type GuardianTermGranularity: Get<BlockNumberFor<Self>>;

		/// The shortest delay a recovery configuration may set: how long every remaining
		/// controller has, at least, to cancel a recovery it did not ask for.
		#[pallet::constant]
		type MinRecoveryDelay: Get<BlockNumberFor<Self>>;

		/// The deposit held from the friend who starts a recovery (or its sponsor) until the
		/// recovery is claimed or cancelled.
		type RecoveryDeposit: Consideration<Self::AccountId, Footprint>;

		/// Signs onboarding agreements in benchmarks, with a key of the benchmark's keystore.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: OnboardingBenchmarkHelper<Self::AccountId, Self::OnboardingSignature>;

		/// Where changes to controllers and guardians, and closings, are audited.
		type AuditSink: AuditSink<Self::AccountId, BlockNumberFor<Self>>;

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
		/// The deposit of an open patient identity.
		PatientDeposit,
		/// The deposit of a recovery under way.
		RecoveryDeposit,
	}

	/// Open patient identities.
	///
	/// Blake2 because a registrant influences the id (it hashes its account), so the keys must
	/// be hashed again to keep the trie balanced.
	#[pallet::storage]
	pub type Patients<T: Config> =
		StorageMap<_, Blake2_128Concat, PatientId, PatientOfConfig<T>, OptionQuery>;

	/// Tombstones of closed identities: the block each was closed in. Ids are never reused.
	///
	/// Blake2: as for [`Patients`].
	#[pallet::storage]
	pub type ClosedPatients<T: Config> =
		StorageMap<_, Blake2_128Concat, PatientId, BlockNumberFor<T>, OptionQuery>;

	/// The identity each controller account controls.
	///
	/// Blake2 because accounts are chosen by users.
	#[pallet::storage]
	pub type PatientOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PatientId, OptionQuery>;

	/// Each patient's pending controller invitation, at most one (a new one replaces it), until
	/// the invited account accepts it or the identity is closed. Priced into the patient's
	/// deposit.
	///
	/// Blake2: as for [`Patients`].
	#[pallet::storage]
	pub type ControllerInvitations<T: Config> =
		StorageMap<_, Blake2_128Concat, PatientId, ControllerInvitation<T::AccountId>, OptionQuery>;

	/// Who may recover each patient identity, if its controllers set it. Priced into the
	/// patient's deposit.
	///
	/// Blake2: as for [`Patients`].
	#[pallet::storage]
	pub type RecoveryConfigs<T: Config> =
		StorageMap<_, Blake2_128Concat, PatientId, RecoveryConfigOf<T>, OptionQuery>;

	/// Recoveries under way, at most one per patient; each holds a deposit of its initiator.
	///
	/// Blake2: as for [`Patients`].
	#[pallet::storage]
	pub type ActiveRecoveries<T: Config> =
		StorageMap<_, Blake2_128Concat, PatientId, ActiveRecoveryOf<T>, OptionQuery>;

	/// How many identities have been registered; feeds the id generator.
	#[pallet::storage]
	pub type PatientNonce<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Member organisations.
	///
	/// Twox64Concat: ids are assigned in order by the chain, not chosen by users.
	#[pallet::storage]
	pub type Organisations<T: Config> =
		StorageMap<_, Twox64Concat, OrgId, Organisation<T::AccountId>, OptionQuery>;

	/// The id the next organisation gets.
	#[pallet::storage]
	pub type NextOrgId<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Accredited providers.
	///
	/// Blake2 because accounts are chosen by users.
	#[pallet::storage]
	pub type Providers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Provider<BlockNumberFor<T>>, OptionQuery>;

	/// Accounts whose accreditation governance revoked, with the organisation they were revoked
	/// from. An organisation's admin cannot accredit them again; only governance can (which
	/// clears the entry). Written only by governance, so it needs no deposit.
	///
	/// Blake2 because accounts are chosen by users.
	#[pallet::storage]
	pub type RevokedProviders<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OrgId, OptionQuery>;

	/// Organisations and providers present at genesis.
	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Admin accounts of member organisations, which get ids `0, 1, …` in this order.
		pub organisations: Vec<T::AccountId>,
		/// Providers: account, organisation id and role.
		pub providers: Vec<(T::AccountId, OrgId, ProviderRole)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for admin in &self.organisations {
				let id = NextOrgId::<T>::get();
				Organisations::<T>::insert(
					OrgId(id),
					Organisation { admin: Some(admin.clone()), suspended: false },
				);
				NextOrgId::<T>::put(
					id.checked_add(1).unwrap_or_else(|| panic!("genesis: too many organisations")),
				);
			}
			for (who, organisation, role) in &self.providers {
				assert!(
					Organisations::<T>::contains_key(organisation),
					"genesis: provider of unknown organisation {organisation:?}"
				);
				assert!(!Providers::<T>::contains_key(who), "genesis: provider listed twice");
				Providers::<T>::insert(
					who,
					Provider {
						organisation: *organisation,
						role: *role,
						status: ProviderStatus::Active,
						accredited_at: Zero::zero(),
					},
				);
			}
		}
	}

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A patient identity was registered.
		PatientRegistered {
			/// The new identity.
			patient: PatientId,
			/// Its first controller, who paid the deposit.
			controller: T::AccountId,
		},
		/// A controller invited an account to control the patient (to be added, or to replace
		/// `replaces`); the account must accept.
		ControllerInvited {
			/// The patient.
			patient: PatientId,
			/// The invited account.
			invitee: T::AccountId,
			/// The controller key it would replace, if any.
			replaces: Option<T::AccountId>,
		},
		/// A controller was added to a patient.
		ControllerAdded {
			/// The patient.
			patient: PatientId,
			/// The new controller.
			controller: T::AccountId,
		},
		/// A controller was removed from a patient.
		ControllerRemoved {
			/// The patient.
			patient: PatientId,
			/// The removed controller.
			controller: T::AccountId,
		},
		/// A controller key was replaced by another; the patient id is unchanged.
		ControllerReplaced {
			/// The patient.
			patient: PatientId,
			/// The key that was replaced.
			old_controller: T::AccountId,
			/// The key that replaced it. (Not `new`, which JavaScript clients rename to `new_`.)
			new_controller: T::AccountId,
		},
		/// A guardian was added to a patient.
		GuardianAdded {
			/// The patient.
			patient: PatientId,
			/// The guardian.
			guardian: T::AccountId,
			/// The block at which the guardian stops acting, if any.
			until: Option<BlockNumberFor<T>>,
		},
		/// A guardian was removed from a patient.
		GuardianRemoved {
			/// The patient.
			patient: PatientId,
			/// The guardian.
			guardian: T::AccountId,
		},
		/// An organisation registered a patient identity at intake, with the patient's signed
		/// agreement; the organisation's account (or its sponsor) holds the deposit.
		PatientOnboarded {
			/// The new identity.
			patient: PatientId,
			/// Its first controller: the patient's key that signed the agreement.
			controller: T::AccountId,
			/// The organisation that onboarded it.
			organisation: OrgId,
			/// The account whose deposit is held for the identity.
			depositor: T::AccountId,
		},
		/// A patient identity was closed and its deposit released, but for the tombstone's
		/// share, which was burnt.
		PatientClosed {
			/// The closed identity.
			patient: PatientId,
		},
		/// A controller set (or replaced) who may recover the identity.
		RecoveryConfigured {
			/// The patient.
			patient: PatientId,
			/// How many friends must approve.
			threshold: u32,
			/// How many friends there are.
			friends: u32,
			/// The delay before a recovery can be claimed.
			delay: BlockNumberFor<T>,
		},
		/// A controller removed the recovery configuration.
		RecoveryConfigRemoved {
			/// The patient.
			patient: PatientId,
		},
		/// A friend started a recovery of the identity to a new key.
		RecoveryInitiated {
			/// The patient.
			patient: PatientId,
			/// The friend who started it.
			initiator: T::AccountId,
			/// The key that would control the identity.
			new_controller: T::AccountId,
		},
		/// A friend approved the recovery under way.
		RecoveryApproved {
			/// The patient.
			patient: PatientId,
			/// The friend.
			friend: T::AccountId,
		},
		/// A controller cancelled the recovery under way.
		RecoveryCancelled {
			/// The patient.
			patient: PatientId,
			/// The controller who cancelled it.
			by: T::AccountId,
		},
		/// The new key claimed the identity: it is its only controller, and the former keys can
		/// do nothing for it.
		PatientRecovered {
			/// The patient.
			patient: PatientId,
			/// The new (only) controller.
			new_controller: T::AccountId,
		},
		/// A member organisation was registered.
		OrganisationRegistered {
			/// Its id.
			organisation: OrgId,
			/// Its admin account.
			admin: T::AccountId,
		},
		/// An account was accredited as a provider.
		ProviderAccredited {
			/// The provider.
			provider: T::AccountId,
			/// Its organisation.
			organisation: OrgId,
			/// Its role.
			role: ProviderRole,
		},
		/// A provider was suspended.
		ProviderSuspended {
			/// The provider.
			provider: T::AccountId,
		},
		/// A suspended provider was reinstated.
		ProviderReinstated {
			/// The provider.
			provider: T::AccountId,
		},
		/// A provider's accreditation was revoked.
		ProviderRevoked {
			/// The provider.
			provider: T::AccountId,
		},
		/// Governance replaced or removed an organisation's admin account.
		OrganisationAdminChanged {
			/// The organisation.
			organisation: OrgId,
			/// The new admin; `None` if the organisation has no admin any more.
			admin: Option<T::AccountId>,
		},
		/// Governance suspended a whole organisation: none of its providers is in force.
		OrganisationSuspended {
			/// The organisation.
			organisation: OrgId,
		},
		/// Governance reinstated a suspended organisation.
		OrganisationReinstated {
			/// The organisation.
			organisation: OrgId,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account already controls a patient identity.
		AlreadyController,
		/// The signer does not control a patient identity.
		NotController,
		/// The patient has as many controllers as allowed.
		TooManyControllers,
		/// The account is not a controller of this patient.
		ControllerNotFound,
		/// The last controller cannot be removed; close the identity instead.
		LastController,
		/// No such patient.
		PatientNotFound,
		/// The generated id is already taken (practically impossible; try again next block).
		PatientIdTaken,
		/// The patient has as many guardians as allowed.
		TooManyGuardians,
		/// The account is already a guardian of this patient.
		GuardianAlreadyExists,
		/// The account is a controller of this patient, so it cannot also be its guardian.
		GuardianIsController,
		/// The guardian's term would already be over.
		GuardianTermInPast,
		/// The guardian's term does not end on the grid of
		/// [`Config::GuardianTermGranularity`] (an exact end could be a birth date).
		GuardianTermNotCoarse,
		/// The account is not a guardian of this patient.
		GuardianNotFound,
		/// The signer may not act for this patient: it is neither a controller nor a guardian in
		/// term (for removing a guardian: nor the guardian itself). Other pallets' calls that act
		/// for a patient fail with it too.
		NotAuthorized,
		/// The patient's identity is closed: nobody acts for it any more. Other pallets' calls
		/// that act for a patient fail with it.
		PatientClosed,
		/// No more organisation ids.
		TooManyOrganisations,
		/// No such organisation.
		OrganisationNotFound,
		/// The account is already an accredited provider.
		AlreadyAccredited,
		/// The account is not an accredited provider.
		ProviderNotFound,
		/// The provider is already suspended.
		AlreadySuspended,
		/// The provider is not suspended.
		NotSuspended,
		/// The signer is not the admin of the organisation concerned (and is not the
		/// accreditation origin).
		NotOrganisationAdmin,
		/// Governance revoked this account's accreditation: only governance may accredit it
		/// again, not an organisation's admin.
		RevokedByGovernance,
		/// The organisation is suspended: its admin can do nothing until governance reinstates
		/// it.
		OrganisationSuspended,
		/// The organisation is already suspended.
		OrganisationAlreadySuspended,
		/// The organisation is not suspended.
		OrganisationNotSuspended,
		/// The patient has no pending invitation for the signer.
		NoInvitation,
		/// The signer is neither the admin of the organisation nor one of its active providers
		/// in the role `OrganisationSystem` or `Administrator`.
		NotOrganisationMember,
		/// The onboarding agreement has expired (its `expires_at` is not after the current
		/// block).
		OnboardingExpired,
		/// The onboarding agreement's `expires_at` is further ahead than
		/// [`Config::MaxOnboardingValidity`] allows.
		OnboardingValidityTooLong,
		/// The onboarding agreement is not signed by `controller` over this chain, organisation,
		/// nonce and expiry ([`Pallet::onboarding_payload`]).
		BadOnboardingProof,
		/// The recovery configuration is invalid: no friends, a friend listed twice, a
		/// threshold of 0 or above the number of friends, or a delay below
		/// [`Config::MinRecoveryDelay`].
		InvalidRecoveryConfig,
		/// The patient has no recovery configuration.
		RecoveryNotConfigured,
		/// The signer is not one of the patient's recovery friends.
		NotRecoveryFriend,
		/// A recovery of this patient is already under way.
		RecoveryInProgress,
		/// No recovery of this patient is under way.
		NoActiveRecovery,
		/// The friend approved this recovery already.
		AlreadyApproved,
		/// Fewer friends approved the recovery than the threshold asks.
		RecoveryThresholdNotMet,
		/// The recovery's delay is not over yet.
		RecoveryDelayNotOver,
		/// Only the new key the recovery names may claim it.
		NotRecoveryTarget,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxControllers::get() >= 1, "a patient needs at least one controller");
			assert!(
				!T::GuardianTermGranularity::get().is_zero(),
				"GuardianTermGranularity must be at least one block"
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
		/// Registers a new patient identity controlled by the signer.
		///
		/// The chain generates the [`PatientId`]; it is not derived from personal data. A deposit
		/// for the record is held from the signer, or from the sponsor that submitted the call
		/// for it ([`Config::DepositPayer`]), until the identity is closed.
		///
		/// The origin must be _Signed_ by an account that controls no identity yet.
		///
		/// # Events
		/// [`Event::PatientRegistered`].
		///
		/// # Errors
		/// - [`Error::AlreadyController`]: the signer already controls an identity.
		/// - [`Error::PatientIdTaken`]: the generated id exists (practically impossible).
		/// - The deposit cannot be held (for example `InsufficientBalance`).
		///
		/// O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_patient())]
		pub fn register_patient(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_patient(who)
		}

		/// Invites a controller key to the signer's patient identity. The key becomes a
		/// controller when it accepts ([`accept_controller`](Pallet::accept_controller)): nobody
		/// is made a controller (and so barred from registering an identity of its own) without
		/// signing for it. A patient has at most one pending invitation; a new one replaces it.
		///
		/// The origin must be _Signed_ by a controller of the identity.
		///
		/// - `controller`: the new key; it must not control any identity yet.
		///
		/// # Events
		/// [`Event::ControllerInvited`]; [`Event::ControllerAdded`] on acceptance.
		///
		/// # Errors
		/// - [`Error::NotController`]: the signer controls no identity.
		/// - [`Error::AlreadyController`]: `controller` already controls an identity.
		/// - [`Error::TooManyControllers`]: the identity has [`Config::MaxControllers`].
		///
		/// O(`MaxControllers`).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::add_controller())]
		pub fn add_controller(origin: OriginFor<T>, controller: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_invite_controller(who, controller, None)
		}

		/// Removes a controller key from the signer's patient identity. The signer may remove
		/// itself, but never the last controller.
		///
		/// The origin must be _Signed_ by a controller of the identity.
		///
		/// # Events
		/// [`Event::ControllerRemoved`].
		///
		/// # Errors
		/// - [`Error::NotController`]: the signer controls no identity.
		/// - [`Error::ControllerNotFound`]: `controller` is not a controller of that identity.
		/// - [`Error::LastController`]: it is the only controller.
		///
		/// O(`MaxControllers`).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_controller())]
		pub fn remove_controller(origin: OriginFor<T>, controller: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_controller(who, controller)
		}

		/// Rotates the signer's controller key: `new_controller` is invited to take its place, and
		/// does when it accepts ([`accept_controller`](Pallet::accept_controller)); the patient id
		/// stays. A patient has at most one pending invitation; a new one replaces it.
		///
		/// The origin must be _Signed_ by the controller being replaced.
		///
		/// # Events
		/// [`Event::ControllerInvited`]; [`Event::ControllerReplaced`] on acceptance.
		///
		/// # Errors
		/// - [`Error::NotController`]: the signer controls no identity.
		/// - [`Error::AlreadyController`]: `new_controller` already controls an identity.
		///
		/// The deposit stays held from the account that registered the identity.
		///
		/// O(`MaxControllers`).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::replace_controller())]
		pub fn replace_controller(
			origin: OriginFor<T>,
			new_controller: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_invite_controller(who.clone(), new_controller, Some(who))
		}

		/// Adds a guardian who may act for the signer's patient identity until block `until`
		/// (exclusive, a multiple of [`Config::GuardianTermGranularity`]), or indefinitely. For
		/// a minor, the patient's app rounds the age of majority up to the grid.
		///
		/// The origin must be _Signed_ by a controller of the identity.
		///
		/// # Events
		/// [`Event::GuardianAdded`].
		///
		/// # Errors
		/// - [`Error::NotController`]: the signer controls no identity.
		/// - [`Error::GuardianIsController`]: `guardian` controls this identity.
		/// - [`Error::GuardianAlreadyExists`]: `guardian` is already a guardian of it.
		/// - [`Error::GuardianTermInPast`]: `until` is not after the current block.
		/// - [`Error::GuardianTermNotCoarse`]: `until` is not a multiple of
		///   [`Config::GuardianTermGranularity`].
		/// - [`Error::TooManyGuardians`]: the identity has [`Config::MaxGuardians`].
		///
		/// O(`MaxControllers + MaxGuardians`).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::add_guardian())]
		pub fn add_guardian(
			origin: OriginFor<T>,
			guardian: T::AccountId,
			until: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_guardian(who, guardian, until)
		}

		/// Removes a guardian of `patient`, whether or not its term is over.
		///
		/// The origin must be _Signed_ by a controller of `patient` or by the guardian itself.
		///
		/// # Events
		/// [`Event::GuardianRemoved`].
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: `patient` is not an open identity.
		/// - [`Error::NotAuthorized`]: the signer is neither a controller nor the guardian.
		/// - [`Error::GuardianNotFound`]: `guardian` is not a guardian of `patient`.
		///
		/// O(`MaxControllers + MaxGuardians`).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::remove_guardian())]
		pub fn remove_guardian(
			origin: OriginFor<T>,
			patient: PatientId,
			guardian: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_guardian(who, patient, guardian)
		}

		/// Closes the signer's patient identity: the GDPR erasure entry point.
		///
		/// The record, its controllers and guardians are removed and the deposit is released
		/// but for the tombstone's share ([`Pallet::tombstone_footprint`]), which is burnt; a
		/// tombstone with the closing block stays so the id is never reused. From then on no
		/// consent authorises anything for the patient, and its consents can be reaped.
		///
		/// The origin must be _Signed_ by a controller of the identity.
		///
		/// # Events
		/// [`Event::PatientClosed`].
		///
		/// # Errors
		/// - [`Error::NotController`]: the signer controls no identity.
		///
		/// O(`MaxControllers`).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::close_patient())]
		pub fn close_patient(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_patient(who)
		}

		/// Registers a member organisation with its admin account. Ids are assigned in order.
		///
		/// The origin must be [`Config::AccreditationOrigin`].
		///
		/// # Events
		/// [`Event::OrganisationRegistered`].
		///
		/// # Errors
		/// - [`Error::TooManyOrganisations`]: the ids are exhausted.
		///
		/// O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::register_organisation())]
		pub fn register_organisation(origin: OriginFor<T>, admin: T::AccountId) -> DispatchResult {
			T::AccreditationOrigin::ensure_origin(origin)?;
			Self::do_register_organisation(admin)
		}

		/// Accredits `provider` as an active provider of `organisation` with `role`.
		///
		/// The origin must be [`Config::AccreditationOrigin`], or _Signed_ by the admin of
		/// `organisation`.
		///
		/// # Events
		/// [`Event::ProviderAccredited`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::NotOrganisationAdmin`]: a signer that is not `organisation`'s admin.
		/// - [`Error::OrganisationSuspended`]: a signer admin of a suspended organisation.
		/// - [`Error::RevokedByGovernance`]: a signer admin, and governance revoked `provider`;
		///   only governance may accredit it again.
		/// - [`Error::AlreadyAccredited`]: `provider` is already accredited (revoke it first to
		///   move it to another organisation or role).
		///
		/// O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::accredit_provider())]
		pub fn accredit_provider(
			origin: OriginFor<T>,
			provider: T::AccountId,
			organisation: OrgId,
			role: ProviderRole,
		) -> DispatchResult {
			let by_governance = match Self::governance_or_signed(origin)? {
				None => true,
				Some(who) => {
					Self::ensure_admin_of(&who, organisation)?;
					ensure!(
						!RevokedProviders::<T>::contains_key(&provider),
						Error::<T>::RevokedByGovernance
					);
					false
				},
			};
			Self::do_accredit_provider(provider, organisation, role, by_governance)
		}

		/// Suspends a provider: until reinstated, no consent or emergency window lets it act.
		///
		/// The origin must be [`Config::AccreditationOrigin`] (any provider), or _Signed_ by the
		/// admin of the provider's organisation.
		///
		/// # Events
		/// [`Event::ProviderSuspended`].
		///
		/// # Errors
		/// - [`Error::ProviderNotFound`]: `provider` is not accredited.
		/// - [`Error::NotOrganisationAdmin`]: a signer that is not the admin of the provider's
		///   organisation.
		/// - [`Error::OrganisationSuspended`]: a signer admin of a suspended organisation.
		/// - [`Error::AlreadySuspended`]: it is already suspended.
		///
		/// O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::suspend_provider())]
		pub fn suspend_provider(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			if let Some(who) = Self::governance_or_signed(origin)? {
				let record = Providers::<T>::get(&provider).ok_or(Error::<T>::ProviderNotFound)?;
				Self::ensure_admin_of(&who, record.organisation)?;
			}
			Self::do_set_provider_status(provider, ProviderStatus::Suspended)
		}

		/// Reinstates a suspended provider.
		///
		/// The origin must be [`Config::AccreditationOrigin`].
		///
		/// # Events
		/// [`Event::ProviderReinstated`].
		///
		/// # Errors
		/// - [`Error::ProviderNotFound`]: `provider` is not accredited.
		/// - [`Error::NotSuspended`]: it is not suspended.
		///
		/// O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::reinstate_provider())]
		pub fn reinstate_provider(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			T::AccreditationOrigin::ensure_origin(origin)?;
			Self::do_set_provider_status(provider, ProviderStatus::Active)
		}

		/// Revokes a provider's accreditation. The account is remembered in
		/// [`RevokedProviders`]: no organisation admin can accredit it again, only governance.
		///
		/// The origin must be [`Config::AccreditationOrigin`].
		///
		/// # Events
		/// [`Event::ProviderRevoked`].
		///
		/// # Errors
		/// - [`Error::ProviderNotFound`]: `provider` is not accredited.
		///
		/// O(1).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::revoke_provider())]
		pub fn revoke_provider(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			T::AccreditationOrigin::ensure_origin(origin)?;
			Self::do_revoke_provider(provider)
		}

		/// Accepts the pending invitation of `patient` to the signer: the signer becomes one of
		/// its controllers, or replaces the controller key the invitation names.
		///
		/// The origin must be _Signed_ by the invited account.
		///
		/// # Events
		/// [`Event::ControllerAdded`] or [`Event::ControllerReplaced`]; audited as
		/// `ControllerAdded` or `ControllerReplaced`, with the inviting controller as actor.
		///
		/// # Errors
		/// - [`Error::NoInvitation`]: `patient` has no pending invitation for the signer (or the
		///   identity was closed).
		/// - [`Error::AlreadyController`]: the signer controls an identity by now.
		/// - [`Error::ControllerNotFound`]: the key to replace is no longer a controller.
		/// - [`Error::TooManyControllers`]: the identity has [`Config::MaxControllers`] by now.
		///
		/// O(`MaxControllers`).
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::accept_controller())]
		pub fn accept_controller(origin: OriginFor<T>, patient: PatientId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_controller(who, patient)
		}

		/// Replaces an organisation's admin account with `admin`, or removes it (`None`): then
		/// only governance accredits and suspends the organisation's providers.
		///
		/// The origin must be [`Config::AccreditationOrigin`].
		///
		/// # Events
		/// [`Event::OrganisationAdminChanged`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		///
		/// O(1).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::set_organisation_admin())]
		pub fn set_organisation_admin(
			origin: OriginFor<T>,
			organisation: OrgId,
			admin: Option<T::AccountId>,
		) -> DispatchResult {
			T::AccreditationOrigin::ensure_origin(origin)?;
			Self::do_set_organisation_admin(organisation, admin)
		}

		/// Suspends a whole organisation: none of its providers is in force (no consent or
		/// emergency window lets them act, their accesses are recorded as denied) and its admin
		/// can do nothing, until governance reinstates it. The providers keep their own status.
		///
		/// The origin must be [`Config::AccreditationOrigin`].
		///
		/// # Events
		/// [`Event::OrganisationSuspended`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::OrganisationAlreadySuspended`]: it is suspended already.
		///
		/// O(1).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_organisation_status())]
		pub fn suspend_organisation(origin: OriginFor<T>, organisation: OrgId) -> DispatchResult {
			T::AccreditationOrigin::ensure_origin(origin)?;
			Self::do_set_organisation_suspended(organisation, true)
		}

		/// Reinstates a suspended organisation.
		///
		/// The origin must be [`Config::AccreditationOrigin`].
		///
		/// # Events
		/// [`Event::OrganisationReinstated`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::OrganisationNotSuspended`]: it is not suspended.
		///
		/// O(1).
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::set_organisation_status())]
		pub fn reinstate_organisation(origin: OriginFor<T>, organisation: OrgId) -> DispatchResult {
			T::AccreditationOrigin::ensure_origin(origin)?;
			Self::do_set_organisation_suspended(organisation, false)
		}

		/// Registers a patient identity at intake: an organisation's admin, or one of its active
		/// providers in the role `OrganisationSystem` (its EHR system) or `Administrator` (the
		/// front desk), registers it with the patient's own key,
		/// `controller`, as its first controller. The patient's key agrees by signing
		/// [`Pallet::onboarding_payload`]: this chain's genesis hash, `organisation`, the key's
		/// account nonce and `expires_at`, so nobody is enrolled without its agreement and an
		/// agreement works once, on this chain, for this organisation. The key's nonce is then
		/// incremented. The deposit is held from the signer (or its sponsor) and returns to it
		/// when the identity is closed: the patient pays nothing and needs no balance.
		///
		/// The origin must be _Signed_ by the admin of `organisation` or an active provider of it
		/// in one of those roles; the organisation must not be suspended: governance stops an organisation that abuses onboarding
		/// by suspending it ([`suspend_organisation`](Pallet::suspend_organisation)). How many
		/// identities an organisation can hold is bounded by its funds for the deposits.
		///
		/// - `expires_at`: the block (of [`Config::BlockNumberProvider`]) from which the
		///   agreement is void; at most [`Config::MaxOnboardingValidity`] ahead.
		/// - `proof`: `controller`'s signature of the payload, raw or wrapped in
		///   `<Bytes>…</Bytes>` as browser wallets sign.
		///
		/// # Events
		/// [`Event::PatientOnboarded`]; audited as `PatientOnboarded` with the organisation.
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::NotOrganisationMember`]: the signer is neither its admin nor an active
		///   provider of it in one of those roles.
		/// - [`Error::OrganisationSuspended`]: governance suspended it.
		/// - [`Error::OnboardingExpired`], [`Error::OnboardingValidityTooLong`]: `expires_at` is
		///   not in the window.
		/// - [`Error::BadOnboardingProof`]: `proof` is not `controller`'s signature of the
		///   payload (a replayed or foreign-chain agreement fails here: the nonce or genesis
		///   differs).
		/// - [`Error::AlreadyController`]: `controller` already controls an identity.
		/// - [`Error::PatientIdTaken`]: the generated id exists (practically impossible).
		/// - The deposit cannot be held (for example `InsufficientBalance`).
		///
		/// O(1).
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::onboard_patient())]
		pub fn onboard_patient(
			origin: OriginFor<T>,
			organisation: OrgId,
			controller: T::AccountId,
			expires_at: BlockNumberFor<T>,
			proof: T::OnboardingSignature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_onboard_patient(who, organisation, controller, expires_at, proof)
		}

		/// Sets who may recover the signer's identity if every key is lost: `threshold` of
		/// `friends` must approve, and `delay` blocks (of [`Config::BlockNumberProvider`]) must
		/// pass, during which any remaining controller can cancel. Replaces an earlier
		/// configuration; a recovery under way keeps going under the new one. Priced into the
		/// identity's deposit.
		///
		/// The origin must be _Signed_ by a controller of the identity.
		///
		/// # Events
		/// [`Event::RecoveryConfigured`]; audited as `RecoveryConfigured`.
		///
		/// # Errors
		/// - [`Error::NotController`]: the signer controls no identity.
		/// - [`Error::InvalidRecoveryConfig`]: no friends, a duplicate, a threshold of 0 or above
		///   the number of friends, or a delay below [`Config::MinRecoveryDelay`].
		///
		/// O(`MaxRecoveryFriends`²).
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::set_recovery())]
		pub fn set_recovery(
			origin: OriginFor<T>,
			friends: BoundedVec<T::AccountId, T::MaxRecoveryFriends>,
			threshold: u32,
			delay: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_recovery(who, friends, threshold, delay)
		}

		/// Removes the signer's identity's recovery configuration; a recovery under way is
		/// cancelled with it.
		///
		/// The origin must be _Signed_ by a controller of the identity.
		///
		/// # Events
		/// [`Event::RecoveryConfigRemoved`] (and [`Event::RecoveryCancelled`] for a recovery
		/// under way); audited as `RecoveryConfigured` (and `RecoveryCancelled`).
		///
		/// # Errors
		/// - [`Error::NotController`]: the signer controls no identity.
		/// - [`Error::RecoveryNotConfigured`]: there is nothing to remove.
		///
		/// O(`MaxRecoveryFriends`).
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::remove_recovery())]
		pub fn remove_recovery(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_recovery(who)
		}

		/// Starts the recovery of `patient` to `new_controller`, a key of the patient's that
		/// controls no identity. The signer's approval counts. A deposit is held from the signer
		/// (or its sponsor) until the recovery is claimed or cancelled, and the new key's
		/// account is kept alive so it can claim with a sponsored call.
		///
		/// The origin must be _Signed_ by one of the patient's recovery friends.
		///
		/// # Events
		/// [`Event::RecoveryInitiated`]; audited as `RecoveryInitiated`.
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: `patient` is not an open identity.
		/// - [`Error::RecoveryNotConfigured`]: it has no recovery configuration.
		/// - [`Error::NotRecoveryFriend`]: the signer is not one of its friends.
		/// - [`Error::RecoveryInProgress`]: a recovery is under way.
		/// - [`Error::AlreadyController`]: `new_controller` controls an identity.
		/// - The deposit cannot be held.
		///
		/// O(`MaxRecoveryFriends`).
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::initiate_recovery())]
		pub fn initiate_recovery(
			origin: OriginFor<T>,
			patient: PatientId,
			new_controller: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_initiate_recovery(who, patient, new_controller)
		}

		/// Approves the recovery of `patient` under way.
		///
		/// The origin must be _Signed_ by one of the patient's recovery friends.
		///
		/// # Events
		/// [`Event::RecoveryApproved`]; audited as `RecoveryApproved`.
		///
		/// # Errors
		/// - [`Error::NoActiveRecovery`]: no recovery is under way.
		/// - [`Error::RecoveryNotConfigured`]: the configuration was removed.
		/// - [`Error::NotRecoveryFriend`]: the signer is not one of the friends.
		/// - [`Error::AlreadyApproved`]: the signer approved already.
		///
		/// O(`MaxRecoveryFriends`).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::approve_recovery())]
		pub fn approve_recovery(origin: OriginFor<T>, patient: PatientId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_approve_recovery(who, patient)
		}

		/// Cancels the recovery of the signer's identity under way: what a controller does
		/// when a recovery it did not ask for starts. The initiator's deposit is released.
		///
		/// The origin must be _Signed_ by a controller of the identity.
		///
		/// # Events
		/// [`Event::RecoveryCancelled`]; audited as `RecoveryCancelled`.
		///
		/// # Errors
		/// - [`Error::NotController`]: the signer controls no identity.
		/// - [`Error::NoActiveRecovery`]: no recovery is under way.
		///
		/// O(1).
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::cancel_recovery())]
		pub fn cancel_recovery(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_recovery(who)
		}

		/// Claims the recovery of `patient`: once the threshold of friends approved and the
		/// delay is over, the signer (the new key) becomes the identity's only controller. The
		/// former keys are removed and can do nothing for it; the `PatientId`, its grants,
		/// guardians and trail stay. A pending controller invitation is dropped. The initiator's
		/// deposit is released. The identity's own deposit stays with its depositor.
		///
		/// The origin must be _Signed_ by the new key the recovery names.
		///
		/// # Events
		/// [`Event::PatientRecovered`]; audited as `Recovered`.
		///
		/// # Errors
		/// - [`Error::NoActiveRecovery`]: no recovery is under way.
		/// - [`Error::NotRecoveryTarget`]: the signer is not the new key.
		/// - [`Error::RecoveryNotConfigured`]: the configuration was removed.
		/// - [`Error::RecoveryThresholdNotMet`]: too few approvals.
		/// - [`Error::RecoveryDelayNotOver`]: the delay is not over.
		/// - [`Error::AlreadyController`]: the new key controls an identity by now.
		///
		/// O(`MaxControllers`).
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::claim_recovery())]
		pub fn claim_recovery(origin: OriginFor<T>, patient: PatientId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_recovery(who, patient)
		}
	}
}

/// Signs onboarding agreements in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait OnboardingBenchmarkHelper<AccountId, Signature> {
	/// A fresh key's account and its signature of `message`.
	fn sign(message: &[u8]) -> (AccountId, Signature);
}
