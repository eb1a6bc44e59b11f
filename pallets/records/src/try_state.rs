//! The storage invariants, which `try_state` checks on a live chain and the tests after every
//! test.

use crate::pallet::*;
use crate::types::{RecordStatus, Version};
use ehr_primitives::{CategoryTag, PatientId, RecordId};
use polkadot_sdk::frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Checks the invariants: every record is keyed by the id its digest derives, erased
	/// records are tombstones and nothing else, version chains are well formed within one
	/// patient and one category, and deposits match the stored items.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use polkadot_sdk::frame_support::traits::fungible::InspectHold;

		let mut per_author: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		// Every record, live or erased, by patient and id, with its version and (live)
		// category.
		let mut all: BTreeMap<(PatientId, RecordId), (Version, Option<CategoryTag>)> =
			BTreeMap::new();
		for (patient, id, record) in Records::<T>::iter() {
			ensure!(
				!matches!(record.status, RecordStatus::Erased { .. }),
				"an erased record is not a tombstone"
			);
			ensure!(record.category.is_valid(), "a record's category tag is out of range");
			ensure!(
				Self::record_id(&record.digest) == id,
				"a record is not keyed by its digest's id"
			);
			ehr_primitives::tally(&mut per_author, record.author.clone());
			all.insert((patient, id), (record.version, Some(record.category)));
		}
		for (patient, id, tombstone) in Tombstones::<T>::iter() {
			ensure!(!Records::<T>::contains_key(patient, id), "a record is both live and erased");
			all.insert((patient, id), (tombstone.version, None));
		}
		for ((patient, id), (v, category)) in &all {
			let (patient, id) = (*patient, *id);
			match v.predecessor {
				None => ensure!(
					v.number == 1 && v.chain == id,
					"a first version is not numbered 1 or does not name its chain"
				),
				Some(p) => {
					// Looked up under the same patient: a chain never crosses patients.
					let (previous, p_category) =
						all.get(&(patient, p)).ok_or("a predecessor is missing")?;
					ensure!(previous.successor == Some(id), "a broken predecessor link");
					ensure!(previous.chain == v.chain, "a version in another chain");
					ensure!(
						previous.number.checked_add(1) == Some(v.number),
						"version numbers do not follow"
					);
					if let (Some(a), Some(b)) = (p_category, category) {
						ensure!(a == b, "a version of another category");
					}
				},
			}
			if let Some(s) = v.successor {
				let (next_version, _) = all.get(&(patient, s)).ok_or("a successor is missing")?;
				ensure!(next_version.predecessor == Some(id), "a broken successor link");
			}
		}

		let record_reason: T::RuntimeHoldReason = HoldReason::RecordDeposit.into();
		ehr_primitives::check_uniform_deposits(per_author, |who| {
			T::Currency::balance_on_hold(&record_reason, who)
		})?;
		let mut per_batch_author: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (organisation, _, batch) in Batches::<T>::iter() {
			ensure!(batch.organisation == organisation, "a batch under another organisation");
			ensure!(
				batch.leaf_count >= 1 && batch.leaf_count <= T::MaxBatchLeaves::get(),
				"a batch's leaf count is out of bounds"
			);
			ehr_primitives::tally(&mut per_batch_author, batch.author);
		}
		let batch_reason: T::RuntimeHoldReason = HoldReason::BatchDeposit.into();
		ehr_primitives::check_uniform_deposits(per_batch_author, |who| {
			T::Currency::balance_on_hold(&batch_reason, who)
		})?;
		Ok(())
	}
}
