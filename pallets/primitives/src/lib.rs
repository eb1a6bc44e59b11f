//! # EHR primitives
//!
//! The types and glue traits shared by the EHR consortium pallets. This crate has no storage and
//! builds for `no_std`.
//!
//! ## Overview
//!
//! The pallets talk to each other only through the small traits in [`traits`], so that each can
//! be tested on its own (the [`testing`] module, behind the `std` feature, has a simple
//! implementation of every trait):
//!
//! | Trait | Asks | Implemented by |
//! |---|---|---|
//! | [`PatientRegistry`] | Does a patient exist? May this account act for it? | identity pallet |
//! | [`ProviderRegistry`] | Is this account an accredited provider, of which organisation, in which role? | identity pallet |
//! | [`ConsentCheck`] | Is this access permitted now (or at block N), by which grant or emergency window? | consent pallet |
//! | [`AuditSink`] | Append an audit entry. | audit pallet |
//!
//! ## Terminology
//!
//! The vocabulary follows FHIR R5 `Consent` and HL7 v3 `PurposeOfUse`:
//!
//! - **Patient**: a pseudonymous [`PatientId`] of 32 opaque bytes, generated on chain and never
//!   derived from personal data (HIPAA 164.514(c)).
//! - **Controller** and **guardian**: accounts that may act for a patient ([`PatientAgent`]).
//! - **Organisation** ([`OrgId`]) and **provider**: a member organisation of the consortium and an
//!   account accredited under it with a [`ProviderRole`].
//! - **Grantee** ([`Grantee`]): whom a consent is given to, a provider account or a whole
//!   organisation.
//! - **Data category** ([`DataCategory`]): known to the patient's app and its grantees only. On
//!   chain a record's category is a [`CategoryTag`] and a consent's categories a
//!   [`SealedCategories`]: slots under the patient's secret category key ([`sealing`]), which the
//!   consent check compares without learning the category.
//! - **Action** ([`Action`], [`Actions`]) and **purpose of use** ([`PurposeOfUse`],
//!   [`Purposes`]): the rest of a consent's scope, stored as bit sets of fixed size.
//! - **Digest** ([`Digest`]): an algorithm and 32 bytes; documents themselves stay off chain.
//!   Clients compute it *salted* ([`hashing::salted_digest`]); batches of digests are anchored
//!   by a Merkle root ([`hashing::merkle_root`]).
//! - **Record** ([`RecordId`]): an anchored digest, with its author and version chain.
//!
//! ## No personal health information
//!
//! Every type here has a fixed or bounded size and none can hold free text: a justification or a
//! document is represented by a 32-byte hash, an identity by an opaque id.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

extern crate alloc;

pub mod hashing;
pub mod sealing;
pub mod traits;
pub mod types;

#[cfg(feature = "std")]
pub mod testing;

pub use traits::*;
pub use types::*;

/// Counts one more item for `key`: the tally the pallets' `try_state` checks build per patient
/// or per depositor.
#[cfg(any(feature = "std", feature = "try-runtime"))]
pub fn tally<K: Ord>(counts: &mut alloc::collections::BTreeMap<K, u32>, key: K) {
	let count = counts.entry(key).or_default();
	*count = count.saturating_add(1);
}

/// Checks that deposits held for stored items are uniform: every depositor holds the same amount
/// per item, that is `held(a) * items(b) == held(b) * items(a)` for any two depositors.
///
/// The pallets price every item of one kind by the same footprint, so with any
/// `Consideration` (including one that charges nothing) this holds exactly when the held
/// amounts match the stored items. Used by the pallets' `try_state`.
#[cfg(any(feature = "std", feature = "try-runtime"))]
pub fn check_uniform_deposits<AccountId, Balance>(
	items_per_depositor: impl IntoIterator<Item = (AccountId, u32)>,
	held: impl Fn(&AccountId) -> Balance,
) -> Result<(), &'static str>
where
	Balance: polkadot_sdk::sp_runtime::traits::AtLeast32BitUnsigned + Copy,
{
	let mut first: Option<(Balance, Balance)> = None;
	for (who, items) in items_per_depositor {
		let (held, items) = (held(&who), Balance::from(items));
		if items.is_zero() {
			continue;
		}
		match first {
			None => first = Some((held, items)),
			Some((held0, items0)) => {
				let lhs = held.checked_mul(&items0).ok_or("deposit check overflow")?;
				let rhs = held0.checked_mul(&items).ok_or("deposit check overflow")?;
				if lhs != rhs {
					return Err("held deposits do not match the stored items");
				}
			},
		}
	}
	Ok(())
}
