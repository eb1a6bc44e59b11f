//! # EHR governance pallet
//!
//! Root actions without a sudo key: a call that the consortium council passes by a supermajority
//! runs with the root origin.
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
//! ## Terminology
//!
//! - **Council**: the consortium's collective; its members are the member organisations'
//!   accounts.
//! - **Motion**: a council proposal; it is dispatched with the origin
//!   `Members(ayes, council size)`, which [`Config::RootOrigin`] checks against its threshold.
//! - **Root dispatch**: running a call with the root origin, what `sudo.sudo` does on a dev chain.
//!
//! ## Calls
//!
//! | Call | Origin | Events | Errors |
//! |---|---|---|---|
//! | [`dispatch_as_root`](Pallet::dispatch_as_root) | [`Config::RootOrigin`] (council 3/4) | [`Event::DispatchedAsRoot`] | `BadOrigin`; any error of the inner call |
//!
//! ## Storage
//!
//! None. The pallet only dispatches.
//!
//! ## No personal health information
//!
//! Nothing is stored; the event holds the hash of the call, not the call.

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
mod mock;
#[cfg(test)]
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
			traits::{Dispatchable, Hash},
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

		/// Weights of this pallet's own work, from its benchmarks.
		type WeightInfo: WeightInfo;
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
	}
}
