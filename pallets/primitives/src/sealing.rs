//! Client-side sealing of data categories with a patient's category key.
//!
//! The chain never sees a [`DataCategory`]: records and access requests carry a [`CategoryTag`]
//! and consents a [`SealedCategories`], both slots under a secret *category key* that only the
//! patient's app and the parties it shares the key with hold. The consent check compares slots.
//! This module is the reference implementation of the sealing, used by the pallets' tests and
//! benchmarks; `e2e/lib/privacy.js` implements the same bytes for browsers and document stores,
//! and both check the same test vector, which `scripts/ehr_vectors.py` (a third, independent
//! implementation) prints.
//!
//! # The slot order
//!
//! For a key `k` and an epoch `e`, every slot `s` in `0..32` gets the score
//! `BLAKE2b-256("ehr/category-slots/v1" ‖ k ‖ e as u16 little-endian ‖ s as u8)`. The slots
//! sorted by score (bytes compared in order; the slot number breaks a tie) are the key's order;
//! the *n*-th category of [`DataCategory::ALL`] takes the *n*-th slot, and the remaining
//! `32 - 13` slots are decoys that no category occupies.
//!
//! # Keys and epochs
//!
//! - A patient (each pseudonym) has its own key, so slots say nothing across patients, and two
//!   pseudonyms of one person share nothing.
//! - The patient shares the key with whoever it grants access; a grantee needs it to tag what it
//!   anchors and to read which category a record is.
//! - Rotation: a new key is a new epoch. Records and grants name their epoch; a grant covers
//!   records of its own epoch only. A revoked grantee keeps the old key and can read the
//!   categories of records tagged under it (not the records), but nothing under a later epoch.

use crate::types::{CategoryTag, DataCategory, SealedCategories};
use polkadot_sdk::sp_io::hashing::blake2_256;

#[cfg(not(feature = "std"))]
use alloc::vec::Vec;

/// The domain of the slot scores.
pub const SLOT_DOMAIN: &[u8] = b"ehr/category-slots/v1";

/// A patient's secret category key.
pub type CategoryKey = [u8; 32];

/// The key's order of the slots for `epoch`: entry `n` is the slot of the `n`-th category of
/// [`DataCategory::ALL`]; the entries after the categories are decoys.
pub fn slot_order(key: &CategoryKey, epoch: u16) -> Vec<u8> {
	let mut scored: Vec<([u8; 32], u8)> = (0..CategoryTag::SLOTS)
		.map(|slot| {
			let mut data = Vec::with_capacity(SLOT_DOMAIN.len().saturating_add(35));
			data.extend_from_slice(SLOT_DOMAIN);
			data.extend_from_slice(key);
			data.extend_from_slice(&epoch.to_le_bytes());
			data.push(slot);
			(blake2_256(&data), slot)
		})
		.collect();
	scored.sort();
	scored.into_iter().map(|(_, slot)| slot).collect()
}

/// The tag of `category` under `key` and `epoch`.
pub fn seal(key: &CategoryKey, epoch: u16, category: DataCategory) -> CategoryTag {
	let position = DataCategory::ALL.iter().position(|c| *c == category).unwrap_or(0);
	let slot = slot_order(key, epoch).get(position).copied().unwrap_or(0);
	CategoryTag { epoch, slot }
}

/// The category a tag stands for, if it was sealed under `key` (and is no decoy).
pub fn unseal(key: &CategoryKey, tag: CategoryTag) -> Option<DataCategory> {
	let position = slot_order(key, tag.epoch).iter().position(|slot| *slot == tag.slot)?;
	DataCategory::ALL.get(position).copied()
}

/// The sealed set of `categories` under `key` and `epoch`, filled up with decoy slots to
/// [`SealedCategories::SIZE`]. `padding` chooses the decoys: give fresh random bytes per grant,
/// so that grants of one patient do not share their decoys.
pub fn seal_set(
	key: &CategoryKey,
	epoch: u16,
	categories: &[DataCategory],
	padding: &[u8; 32],
) -> SealedCategories {
	let order = slot_order(key, epoch);
	let real: Vec<u8> = categories
		.iter()
		.filter_map(|c| DataCategory::ALL.iter().position(|x| x == c))
		.filter_map(|position| order.get(position).copied())
		.collect();
	let mut slots = real
		.iter()
		.fold(0u32, |bits, slot| bits | CategoryTag { epoch, slot: *slot }.bit());
	// The decoys, in an order drawn from `padding`.
	let mut decoys: Vec<([u8; 32], u8)> = order
		.iter()
		.skip(DataCategory::ALL.len())
		.map(|slot| {
			let mut data = padding.to_vec();
			data.push(*slot);
			(blake2_256(&data), *slot)
		})
		.collect();
	decoys.sort();
	for (_, slot) in decoys {
		if slots.count_ones() >= SealedCategories::SIZE {
			break;
		}
		slots |= CategoryTag { epoch, slot }.bit();
	}
	SealedCategories { epoch, slots }
}

/// The categories of a sealed set, read with `key` (decoys are skipped).
pub fn unseal_set(key: &CategoryKey, set: SealedCategories) -> Vec<DataCategory> {
	let order = slot_order(key, set.epoch);
	DataCategory::ALL
		.iter()
		.zip(order.iter())
		.filter(|(_, slot)| set.contains(CategoryTag { epoch: set.epoch, slot: **slot }))
		.map(|(category, _)| *category)
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	const KEY: CategoryKey = [7u8; 32];

	#[test]
	fn the_order_is_a_permutation_and_seal_round_trips() {
		let mut order = slot_order(&KEY, 0);
		assert_eq!(order.len(), 32);
		for category in DataCategory::ALL {
			let tag = seal(&KEY, 0, *category);
			assert!(tag.is_valid());
			assert_eq!(unseal(&KEY, tag), Some(*category));
		}
		order.sort();
		assert_eq!(order, (0..32).collect::<Vec<u8>>());
	}

	#[test]
	fn keys_and_epochs_give_other_orders() {
		assert_ne!(slot_order(&KEY, 0), slot_order(&KEY, 1));
		assert_ne!(slot_order(&KEY, 0), slot_order(&[8u8; 32], 0));
		// A tag of another key does not unseal to its category (here: not to the same one for
		// every category).
		let other = [9u8; 32];
		let moved = DataCategory::ALL
			.iter()
			.filter(|c| unseal(&other, seal(&KEY, 0, **c)) != Some(**c))
			.count();
		assert!(moved > 0);
	}

	#[test]
	fn sets_are_padded_to_the_fixed_size() {
		let one = seal_set(&KEY, 3, &[DataCategory::MentalHealth], &[1; 32]);
		assert!(one.is_valid());
		assert_eq!(one.epoch, 3);
		assert!(one.contains(seal(&KEY, 3, DataCategory::MentalHealth)));
		assert!(!one.contains(seal(&KEY, 3, DataCategory::Laboratory)));
		assert_eq!(unseal_set(&KEY, one), vec![DataCategory::MentalHealth]);
		let all = seal_set(&KEY, 3, DataCategory::ALL, &[1; 32]);
		assert!(all.is_valid());
		assert_eq!(unseal_set(&KEY, all), DataCategory::ALL.to_vec());
		// Other padding, other decoys, same categories.
		let again = seal_set(&KEY, 3, &[DataCategory::MentalHealth], &[2; 32]);
		assert_ne!(one.slots, again.slots);
		assert_eq!(unseal_set(&KEY, again), vec![DataCategory::MentalHealth]);
	}

	/// The vector `e2e/lib/privacy.js` checks too: both implementations give these bytes.
	#[test]
	fn test_vector() {
		let key: CategoryKey = core::array::from_fn(|i| i as u8);
		let order = slot_order(&key, 1);
		assert_eq!(
			order,
			TEST_VECTOR_ORDER.to_vec(),
			"slot order of key 00..1f, epoch 1: {order:?}"
		);
	}

	/// The slot order of the key `00 01 … 1f` at epoch 1.
	const TEST_VECTOR_ORDER: [u8; 32] = [
		26, 2, 30, 19, 10, 5, 13, 17, 4, 11, 28, 16, 9, 22, 20, 8, 29, 18, 25, 21, 1, 31, 0, 7, 24,
		6, 14, 12, 3, 15, 23, 27,
	];
}
