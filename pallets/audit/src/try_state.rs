//! The storage invariants, which `try_state` checks on a live chain and the tests after every
//! test.

use crate::{pallet::*, types::*};
use polkadot_sdk::frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Checks the invariants: every trail stores exactly its entries from `first_retained` to
	/// `count`, each under its own index, folding them onto the anchor gives the head, and no
	/// entry is stored outside a trail.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		let mut stored: u64 = 0;
		for (patient, trail) in Trails::<T>::iter() {
			ensure!(trail.first_retained <= trail.count, "first retained entry past the count");
			let mut head = trail.anchor;
			for index in trail.first_retained..trail.count {
				let entry =
					Entries::<T>::get(patient, index).ok_or("a retained audit entry is missing")?;
				ensure!(entry.index == index, "an audit entry is stored under another index");
				head = chain_step(&head, &entry);
			}
			ensure!(head == trail.head, "the audit entries do not fold onto the trail's head");
			if trail.first_retained == 0 {
				ensure!(trail.anchor == genesis_head(&patient), "an unpruned trail's anchor");
			}
			stored = stored.saturating_add(trail.retained());
		}
		ensure!(
			Entries::<T>::iter_keys().count() as u64 == stored,
			"audit entries stored outside their trails"
		);
		Ok(())
	}
}
