//! The storage invariants, which `try_state` checks on a live chain and the tests after every
//! test.

use crate::pallet::*;
use crate::types::{RecordStatus, Version};
use ehr_primitives::{CategoryTag, PatientId, RecordId};
use polkadot_sdk::frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Checks the invariants: the digest index matches the records exactly, erased records
	/// are tombstones outside every index, the patient index and counts match, version chains
	/// are well formed with the right latest versions, and deposits match the stored items.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use polkadot_sdk::frame_support::traits::fungible::InspectHold;

		let next = NextRecordId::<T>::get();
		let mut indexed_digests: u64 = 0;
		let mut per_patient: BTreeMap<PatientId, u32> = BTreeMap::new();
		let mut per_author: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		// Every record id, live or erased, with its patient, version and (live) category.
		let mut all: BTreeMap<RecordId, (PatientId, Version, Option<CategoryTag>)> =
			BTreeMap::new();
		for (id, record) in Records::<T>::iter() {
			ensure!(id.0 < next, "a record id at or past the next id");
			ensure!(
				!matches!(record.status, RecordStatus::Erased { .. }),
				"an erased record is not a tombstone"
			);
			ensure!(record.category.is_valid(), "a record's category tag is out of range");
			let digest = record.digest.ok_or("a record that is not erased has no digest")?;
			ensure!(record.deposit.is_some(), "a record that is not erased has no deposit");
			ensure!(
				RecordByDigest::<T>::get(record.patient, digest) == Some(id),
				"a record is not indexed under its digest"
			);
			ensure!(
				PatientRecords::<T>::contains_key(record.patient, id),
				"a record is missing from the patient index"
			);
			indexed_digests = indexed_digests.saturating_add(1);
			ehr_primitives::tally(&mut per_patient, record.patient);
			ehr_primitives::tally(&mut per_author, record.author.clone());
			all.insert(id, (record.patient, record.version, Some(record.category)));
		}
		for (id, tombstone) in Tombstones::<T>::iter() {
			ensure!(id.0 < next, "a tombstone id at or past the next id");
			ensure!(!Records::<T>::contains_key(id), "a record is both live and erased");
			ensure!(
				!PatientRecords::<T>::contains_key(tombstone.patient, id),
				"an erased record is still in the patient index"
			);
			all.insert(id, (tombstone.patient, tombstone.version, None));
		}
		for (id, (patient, v, category)) in &all {
			let id = *id;
			match v.predecessor {
				None => ensure!(
					v.number == 1 && v.chain == id,
					"a first version is not numbered 1 or does not name its chain"
				),
				Some(p) => {
					let (p_patient, previous, p_category) =
						all.get(&p).ok_or("a predecessor is missing")?;
					ensure!(previous.successor == Some(id), "a broken predecessor link");
					ensure!(previous.chain == v.chain, "a version in another chain");
					ensure!(
						previous.number.checked_add(1) == Some(v.number),
						"version numbers do not follow"
					);
					ensure!(p_patient == patient, "a version of another patient");
					if let (Some(a), Some(b)) = (p_category, category) {
						ensure!(a == b, "a version of another category");
					}
				},
			}
			if let Some(s) = v.successor {
				let (_, next_version, _) = all.get(&s).ok_or("a successor is missing")?;
				ensure!(next_version.predecessor == Some(id), "a broken successor link");
			} else if v.number > 1 {
				ensure!(
					LatestVersion::<T>::get(v.chain) == Some(id),
					"a chain's latest version is not recorded"
				);
			} else {
				ensure!(
					!LatestVersion::<T>::contains_key(v.chain),
					"a single-version chain has a latest-version entry"
				);
			}
		}
		ensure!(
			RecordByDigest::<T>::iter_keys().count() as u64 == indexed_digests,
			"the digest index has entries without records"
		);
		ensure!(
			PatientRecords::<T>::iter_keys().count() as u64
				== per_patient.values().map(|n| u64::from(*n)).sum::<u64>(),
			"the patient index has entries without records"
		);
		// Equal maps: every stored count is right, and none is zero or missing (the tally
		// holds only patients with records).
		let counted: BTreeMap<PatientId, u32> = RecordCount::<T>::iter().collect();
		ensure!(counted == per_patient, "RecordCount does not match the records");
		ensure!(
			counted.values().all(|count| *count <= T::MaxRecordsPerPatient::get()),
			"a patient has too many records"
		);
		for (chain, latest) in LatestVersion::<T>::iter() {
			let (_, version, _) = all.get(&latest).ok_or("a latest version is missing")?;
			ensure!(
				version.chain == chain && version.successor.is_none(),
				"a latest-version entry points to an older version or another chain"
			);
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
