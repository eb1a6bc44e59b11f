//! # EHR governance pallet
//!
//! Root actions without a sudo key: a call that the consortium council passes by a supermajority
//! runs with the root origin. And the length of a collator session, which the consortium sets at
//! genesis and the council changes.
//!
//! ## Overview
//!
//! Some calls of a chain accept only the root origin: `system.authorizeUpgrade` and
//! `system.setCode` (runtime upgrades), `parachainSystem` and XCM settings, `balances.forceSetBalance`
//! and the like. On a developer's chain `sudo` gives one key that origin. A consortium's chain
//! has no such key: its council (a `pallet_collective` instance fed by the membership pallet)
//! votes a motion whose proposal is [`dispatch_as_root`](Pallet::dispatch_as_root)`(call)`, and
//! when the motion closes with at least [`Config::RootOrigin`]'s threshold of ayes (3/4 of the
//! council in the runtime), `call` runs as root.
//!
//! The result of `call` is the result of `dispatch_as_root`: a failing call fails the whole
//! dispatch and leaves no trace, and the council's `Executed` event carries the inner call's
//! error (for example `BadOrigin` when the motion was passed with too few ayes).
//!
//! A collator that the council adds (or removes) authors from the start of the second session
//! after the motion. The session length ([`SessionLength`]) is therefore a governance choice: a
//! long one keeps the collator set stable, a short one makes changes take effect sooner (test
//! networks use a few blocks). It is set in the genesis config (`sessionLength`, the runtime's
//! default when absent) and changed with [`set_session_length`](Pallet::set_session_length); the
//! runtime's session pallet reads it through [`SessionLengthOf`]. A new length takes effect at
//! once: the current session ends at the next block number that is a multiple of it.
//!
//! ## Terminology
//!
//! - **Council**: the consortium's collective; its members are the member organisations'
//!   accounts.
//! - **Motion**: a council proposal; it is dispatched with the origin
//!   `Members(ayes, council size)`, which [`Config::RootOrigin`] checks against its threshold.
//! - **Root dispatch**: running a call with the root origin, what `sudo.sudo` does on a dev chain.
//! - **Session**: the period after which the collator set the council decided takes effect
//!   (`pallet_session`); counted in parachain blocks.
//!
//! ## Calls
//!
//! | Call | Origin | Events | Errors |
//! |---|---|---|---|
//! | [`dispatch_as_root`](Pallet::dispatch_as_root) | [`Config::RootOrigin`] (council 3/4) | [`Event::DispatchedAsRoot`] | `BadOrigin`; any error of the inner call |
//! | [`set_session_length`](Pallet::set_session_length) | [`Config::SessionOrigin`] (council 2/3, as for collators) | [`Event::SessionLengthSet`] | `BadOrigin`, [`Error::SessionLengthOutOfRange`] |
//!
//! ## Storage
//!
//! [`SessionLength`]: one block number, written only by governance (no deposit).
//!
//! ## No personal health information
//!
//! The only stored value is the session length; the dispatch event holds the hash of the call,
//! not the call.

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
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // tests may overflow: that panic fails the test
mod mock;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // tests may overflow: that panic fails the test
mod tests;
pub mod weights;

pub use weights::WeightInfo;

#[polkadot_sdk::frame_support::pallet]
#[allow(unused_qualifications)]
pub mod pallet {
	use super::WeightInfo;
	use alloc::boxed::Box;
	use polkadot_sdk::{
		frame_support::{
			dispatch::{extract_actual_weight, GetDispatchInfo, PostDispatchInfo},
			pallet_prelude::*,
			traits::UnfilteredDispatchable,
		},
		frame_system::{self, pallet_prelude::*},
		sp_runtime::{
			traits::{Dispatchable, Hash, One},
			DispatchErrorWithPostInfo,
		},
	};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;

		/// The calls the council may dispatch as root: the runtime's call type.
		type RuntimeCall: Parameter
			+ Dispatchable<
				RuntimeOrigin = <Self as frame_system::Config>::RuntimeOrigin,
				PostInfo = PostDispatchInfo,
			> + UnfilteredDispatchable<RuntimeOrigin = <Self as frame_system::Config>::RuntimeOrigin>
			+ GetDispatchInfo;

		/// Who may dispatch a call as root: in the runtime, root itself or 3/4 of the council.
		type RootOrigin: EnsureOrigin<<Self as frame_system::Config>::RuntimeOrigin>;

		/// Who may change the session length: in the runtime, the origin that adds and removes
		/// collators (2/3 of the council, or root).
		type SessionOrigin: EnsureOrigin<<Self as frame_system::Config>::RuntimeOrigin>;

		/// The session length when neither the genesis config nor governance set one.
		#[pallet::constant]
		type DefaultSessionLength: Get<BlockNumberFor<Self>>;

		/// The shortest session governance may set (at least 1).
		#[pallet::constant]
		type MinSessionLength: Get<BlockNumberFor<Self>>;

		/// The longest session governance may set.
		#[pallet::constant]
		type MaxSessionLength: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's own work, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The length of a collator session in blocks, as governance set it.
	#[pallet::storage]
	pub type SessionLength<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, T::DefaultSessionLength>;

	/// The genesis config: the consortium's session length.
	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per session; `None` keeps [`Config::DefaultSessionLength`]. Must lie within
		/// [`Config::MinSessionLength`] and [`Config::MaxSessionLength`].
		pub session_length: Option<BlockNumberFor<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(length) = self.session_length {
				assert!(
					Pallet::<T>::length_in_range(length),
					"genesis sessionLength must lie between MinSessionLength and MaxSessionLength"
				);
				SessionLength::<T>::put(length);
			}
		}
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The session length is shorter than [`Config::MinSessionLength`] or longer than
		/// [`Config::MaxSessionLength`].
		SessionLengthOutOfRange,
	}

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A call ran with the root origin and succeeded.
		DispatchedAsRoot {
			/// The hash of the SCALE-encoded call, as the council's `Proposed` event shows the
			/// hash of the motion.
			call_hash: T::Hash,
		},
		/// The session length changed; the current session ends at the next multiple of it.
		SessionLengthSet {
			/// Blocks per session.
			length: BlockNumberFor<T>,
		},
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Dispatches `call` with the root origin.
		///
		/// - **Origin**: [`Config::RootOrigin`]; in the runtime, a council motion passed by at
		///   least 3/4 of the council (or root).
		/// - **Events**: [`Event::DispatchedAsRoot`] and the events of `call`.
		/// - **Errors**: `BadOrigin` for any other origin; otherwise any error of `call`, with all
		///   of its changes undone.
		///
		/// The weight is this pallet's overhead plus `call`'s declared weight; the fee is refunded
		/// to what `call` actually used.
		#[pallet::call_index(0)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(T::WeightInfo::dispatch_as_root().saturating_add(info.call_weight), info.class)
		})]
		pub fn dispatch_as_root(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResultWithPostInfo {
			T::RootOrigin::ensure_origin(origin)?;
			let info = call.get_dispatch_info();
			let call_hash = T::Hashing::hash_of(&call);
			let result = call.dispatch_bypass_filter(frame_system::RawOrigin::Root.into());
			let used = T::WeightInfo::dispatch_as_root()
				.saturating_add(extract_actual_weight(&result, &info));
			match result {
				Ok(post) => {
					Self::deposit_event(Event::DispatchedAsRoot { call_hash });
					Ok(PostDispatchInfo { actual_weight: Some(used), pays_fee: post.pays_fee })
				},
				Err(e) => Err(DispatchErrorWithPostInfo {
					post_info: PostDispatchInfo {
						actual_weight: Some(used),
						pays_fee: e.post_info.pays_fee,
					},
					error: e.error,
				}),
			}
		}
		/// Sets the length of a collator session to `length` blocks.
		///
		/// - **Origin**: [`Config::SessionOrigin`]; in the runtime, a council motion passed by at
		///   least 2/3 of the council (the threshold that adds and removes collators), or root.
		/// - **Events**: [`Event::SessionLengthSet`].
		/// - **Errors**: `BadOrigin`; [`Error::SessionLengthOutOfRange`] when `length` is outside
		///   [`Config::MinSessionLength`]..=[`Config::MaxSessionLength`].
		///
		/// It takes effect at once: the current session ends at the next block number that is a
		/// multiple of `length`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_session_length())]
		pub fn set_session_length(
			origin: OriginFor<T>,
			length: BlockNumberFor<T>,
		) -> DispatchResult {
			T::SessionOrigin::ensure_origin(origin)?;
			ensure!(Self::length_in_range(length), Error::<T>::SessionLengthOutOfRange);
			SessionLength::<T>::put(length);
			Self::deposit_event(Event::SessionLengthSet { length });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Checks the storage invariant: the session length lies within the bounds governance
		/// may set (as genesis and [`Pallet::set_session_length`] ensure).
		#[cfg(any(feature = "try-runtime", feature = "std"))]
		pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure!(
				Self::length_in_range(SessionLength::<T>::get()),
				"the session length is out of its bounds"
			);
			Ok(())
		}

		/// Whether `length` is a session length governance may set.
		pub fn length_in_range(length: BlockNumberFor<T>) -> bool {
			length >= T::MinSessionLength::get().max(One::one())
				&& length <= T::MaxSessionLength::get()
		}
	}
}

/// The session length governance set ([`SessionLength`]), as the `Get` that
/// `pallet_session::PeriodicSessions` takes for its period.
pub struct SessionLengthOf<T>(core::marker::PhantomData<T>);

impl<T: Config>
	polkadot_sdk::frame_support::traits::Get<
		polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor<T>,
	> for SessionLengthOf<T>
{
	fn get() -> polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor<T> {
		SessionLength::<T>::get()
	}
}
