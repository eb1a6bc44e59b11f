//! # EHR sponsor pallet
//!
//! Sponsored calls: a patient's key that holds no balance signs a call, and a sponsor (an
//! organisation's system account, or any relayer) submits it, pays its fee and holds the
//! deposits of the state it creates.
//!
//! ## Overview
//!
//! The signed part is polkadot-sdk's meta transaction ([`pallet_meta_tx`]): the target call with
//! the extensions `VerifySignature` (the key's signature, from `pallet_verify_signature`),
//! `MetaTxMarker`, `CheckNonZeroSender`, `CheckSpecVersion`, `CheckTxVersion`, `CheckGenesis`,
//! `CheckMortality` and `CheckNonce`, as the runtime configures
//! [`pallet_meta_tx::Config::Extension`]. So what the key signs covers the chain (genesis hash),
//! the runtime version, an era (mortality) and the key's nonce: a meta transaction runs once, on
//! this chain, before its era ends. Nothing here verifies signatures itself.
//!
//! A sponsor submits it with [`dispatch`](Pallet::dispatch): a signed transaction of its own, so
//! the sponsor pays the fee, weighed as the target call plus the signature check. While the
//! target call runs, [`CurrentSponsor`] names the sponsor, and the EHR pallets' deposits
//! ([`ehr_primitives::DepositPayer`], implemented by this pallet) are held from it instead of the
//! key: registering an identity, granting consent, taking a grant's deposit over. The deposit is
//! recorded with the state it pays for and goes back to the sponsor when the state is removed (an
//! identity closed, a grant reaped), whoever removes it.
//!
//! A key that holds no balance has a nonce only while its `frame_system` account exists; the
//! identity pallet keeps the accounts of controllers, guardians and invited keys alive for that
//! (a sufficient reference, paid for by the identity's deposit).
//!
//! ## Who pays what
//!
//! - **Fees**: the sponsor, for every call it submits, whether the target call succeeds or not.
//!   Free calls stay free only where they were already (nothing here waives a fee).
//! - **Deposits**: the sponsor, for state a sponsored call creates; returned to it when that
//!   state goes. A patient who revokes a grant a sponsor paid for leaves the deposit held until
//!   the grant is reaped (anyone may reap an ended grant), then it returns to the sponsor: the
//!   sponsor paid for the storage, and revoking is the patient's right, which costs the patient
//!   nothing.
//! - **Seeing and reclaiming**: a sponsor's held deposits are its balance holds (the identity
//!   pallet's `PatientDeposit`, the consent pallet's `ConsentDeposit`) and the records that name it
//!   (`Patient::depositor`, `Consent::granted_by`); it reclaims a grant's deposit by reaping it
//!   once the grant ended, and an identity's when the patient closes it.
//!
//! ## Terminology
//!
//! - **Sponsor**: the account that submits a meta transaction and pays for it.
//! - **Meta transaction**: a call with its signed extensions, signed by a key that need not hold
//!   anything.
//!
//! ## Calls
//!
//! | Call | Origin | Events | Errors |
//! |---|---|---|---|
//! | [`dispatch`](Pallet::dispatch) | signed (the sponsor) | `MetaTx::Dispatched` with the target call's result | [`Error::NestedSponsorship`]; `MetaTx::BadProof`, `Future`, `Stale`, `AncientBirthBlock`, `UnknownOrigin`, `Invalid`, `InvalidLength` |
//!
//! ## Storage
//!
//! [`CurrentSponsor`]: set only while a sponsored call runs, and empty at the end of every
//! extrinsic; never in the state between blocks.
//!
//! ## No personal health information
//!
//! Nothing is stored. The sponsor's account and the key's are visible in the extrinsic, as they
//! are for any transaction.

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
#[allow(unused_qualifications)] // The macro expands to full paths through the umbrella crate.
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use polkadot_sdk::{
		frame_support::{dispatch::PostDispatchInfo, pallet_prelude::*},
		frame_system::pallet_prelude::*,
		pallet_meta_tx::{self, MetaTxFor},
	};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config + pallet_meta_tx::Config {
		/// Weights of the calls, from the benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The sponsor of the call that is running, while a sponsored call runs; empty otherwise.
	/// Whitelisted: it never reaches the state between extrinsics.
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type CurrentSponsor<T: Config> = StorageValue<_, T::AccountId, OptionQuery>;

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// A sponsored call may not submit another sponsored call.
		NestedSponsorship,
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
		/// Submits `meta_tx`, a call signed by a key that need not hold anything, and pays for
		/// it: the fee of this transaction, and the deposits of the state the call creates in
		/// the EHR pallets (held from the signer of this transaction, returned to it when the
		/// state is removed).
		///
		/// The origin must be _Signed_: the sponsor.
		///
		/// - `meta_tx`: the target call, the extension version (0) and the extensions, with the
		///   key's signature ([`pallet_meta_tx::MetaTx`]).
		/// - `meta_tx_encoded_len`: the length of `meta_tx` encoded, in bytes (at least it).
		///
		/// Weighed as the target call, the meta transaction's extensions (the signature check)
		/// and this call's own work; refunded to what the target call used.
		///
		/// # Events
		/// `MetaTx::Dispatched` with the target call's result (a target call that fails does not
		/// fail this call: the fee is paid and the key's nonce is spent), and the target call's
		/// events.
		///
		/// # Errors
		/// - [`Error::NestedSponsorship`]: the target call is itself a sponsored call.
		/// - `MetaTx::BadProof`: the signature is not the key's over this chain, runtime version,
		///   era and nonce (a meta transaction for another chain fails here).
		/// - `MetaTx::Stale` (a replayed meta transaction: its nonce is spent), `Future`,
		///   `AncientBirthBlock` (its era ended), `UnknownOrigin`, `Invalid` (for example a key
		///   whose account does not exist), `InvalidLength`.
		///
		/// O(the target call).
		#[pallet::call_index(0)]
		#[pallet::weight({
			let inner = pallet_meta_tx::Call::<T>::dispatch {
				meta_tx: meta_tx.clone(),
				meta_tx_encoded_len: *meta_tx_encoded_len,
			}
			.get_dispatch_info();
			(<T as Config>::WeightInfo::dispatch().saturating_add(inner.call_weight), inner.class)
		})]
		pub fn dispatch(
			origin: OriginFor<T>,
			meta_tx: Box<MetaTxFor<T>>,
			meta_tx_encoded_len: u32,
		) -> DispatchResultWithPostInfo {
			let sponsor = ensure_signed(origin.clone())?;
			ensure!(!CurrentSponsor::<T>::exists(), Error::<T>::NestedSponsorship);
			CurrentSponsor::<T>::put(&sponsor);
			let result =
				pallet_meta_tx::Pallet::<T>::dispatch(origin, meta_tx, meta_tx_encoded_len);
			CurrentSponsor::<T>::kill();
			let own = <T as Config>::WeightInfo::dispatch();
			match result {
				Ok(post) => Ok(PostDispatchInfo {
					actual_weight: post.actual_weight.map(|w| w.saturating_add(own)),
					pays_fee: Pays::Yes,
				}),
				Err(mut error) => {
					error.post_info.actual_weight =
						error.post_info.actual_weight.map(|w| w.saturating_add(own));
					Err(error)
				},
			}
		}
	}

	impl<T: Config> ehr_primitives::DepositPayer<T::AccountId> for Pallet<T> {
		/// The sponsor while a sponsored call runs, the signer otherwise.
		fn payer(signer: &T::AccountId) -> T::AccountId {
			CurrentSponsor::<T>::get().unwrap_or_else(|| signer.clone())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Checks the storage invariant: no sponsor is set between extrinsics.
		#[cfg(any(feature = "try-runtime", feature = "std"))]
		pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure!(!CurrentSponsor::<T>::exists(), "a sponsor is set outside a sponsored call");
			Ok(())
		}
	}
}
