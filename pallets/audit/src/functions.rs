//! Appending, pruning, the queries and the storage invariants.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use ehr_primitives::{AuditEvent, AuditOutcome, AuditSink, PatientId};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{Get, Time},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::Saturating,
};

/// How many entries one disclosures query reads, per entry it may return.
const SCAN_PER_RESULT: u32 = 4;

impl<T: Config> Pallet<T> {
	/// `max`, at most [`Config::MaxPageSize`].
	pub fn clamp_page(max: u32) -> u32 {
		max.min(T::MaxPageSize::get())
	}

	/// Appends `event` to its patient's trail: the next index, this block and its time, and
	/// the new head.
	pub fn append(event: AuditEvent<T::AccountId, BlockNumberFor<T>>) {
		let patient = event.patient;
		let mut trail = Trails::<T>::get(patient).unwrap_or_else(|| Trail::new(&patient));
		let entry = AuditEntry {
			index: trail.count,
			block: frame_system::Pallet::<T>::block_number(),
			time: T::Time::now(),
			actor: event.actor,
			organisation: event.organisation,
			action: event.action,
			entity: event.entity,
			purpose: event.purpose,
			outcome: event.outcome,
		};
		trail.head = chain_step(&trail.head, &entry);
		trail.count = trail.count.saturating_add(1);
		Entries::<T>::insert(patient, entry.index, &entry);
		Trails::<T>::insert(patient, trail);
		Self::deposit_event(Event::EntryAppended {
			patient,
			index: entry.index,
			action: entry.action,
			outcome: entry.outcome,
			head: trail.head,
		});
	}

	/// Removes up to `max` entries past the retention period; returns how many.
	pub(crate) fn do_prune(patient: PatientId, max: u32) -> Result<u32, DispatchError> {
		let mut trail = Trails::<T>::get(patient).ok_or(Error::<T>::TrailNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		let retention = T::Retention::get();
		// The prunable entries are the contiguous run `first_retained..end`.
		let first = trail.first_retained;
		let mut anchor = trail.anchor;
		let mut end = first;
		let mut removed: u32 = 0;
		while end < trail.count && removed < max {
			let Some(entry) = Entries::<T>::get(patient, end) else { break };
			if entry.block.saturating_add(retention) > now {
				break;
			}
			anchor = chain_step(&anchor, &entry);
			end = end.saturating_add(1);
			removed = removed.saturating_add(1);
		}
		ensure!(removed > 0, Error::<T>::NothingToPrune);

		for i in first..end {
			Entries::<T>::remove(patient, i);
		}
		trail.first_retained = end;
		trail.anchor = anchor;
		Trails::<T>::insert(patient, trail);
		Self::deposit_event(Event::TrailPruned { patient, removed, first_retained: end, anchor });
		Ok(removed)
	}

	/// The trail's counts, anchor and head.
	pub fn trail_head(patient: PatientId) -> Option<Trail> {
		Trails::<T>::get(patient)
	}

	/// Up to `limit` (at most [`Config::MaxPageSize`]) stored entries from index `from` on.
	pub fn trail_entries(patient: PatientId, from: u64, limit: u32) -> Vec<AuditEntryOf<T>> {
		let Some(trail) = Trails::<T>::get(patient) else { return Vec::new() };
		let start = from.max(trail.first_retained);
		let end = start.saturating_add(u64::from(Self::clamp_page(limit))).min(trail.count);
		(start..end).filter_map(|i| Entries::<T>::get(patient, i)).collect()
	}

	/// The index of the first stored entry with a time at or after `from`, by binary search
	/// (times never decrease along a trail).
	fn first_at_or_after(patient: PatientId, trail: &Trail, from: MomentOf<T>) -> u64 {
		let (mut low, mut high) = (trail.first_retained, trail.count);
		while low < high {
			let mid = low.saturating_add(high.saturating_sub(low) / 2);
			match Entries::<T>::get(patient, mid) {
				Some(entry) if entry.time < from => low = mid.saturating_add(1),
				_ => high = mid,
			}
		}
		low
	}

	/// An accounting of disclosures: successful record accesses by providers timestamped from
	/// `from` to `to` (inclusive), oldest first, at most `limit` (at most
	/// [`Config::MaxPageSize`]), from `cursor` (a previous page's `next`) if given. Reads at
	/// most four entries per entry it may return, so a page may be short with a `next`.
	pub fn disclosures(
		patient: PatientId,
		from: MomentOf<T>,
		to: MomentOf<T>,
		cursor: Option<u64>,
		limit: u32,
	) -> DisclosurePage<AuditEntryOf<T>> {
		let mut page = DisclosurePage { items: Vec::new(), next: None };
		let Some(trail) = Trails::<T>::get(patient) else { return page };
		let limit = Self::clamp_page(limit);
		if limit == 0 || from > to {
			return page;
		}
		let mut index = match cursor {
			Some(cursor) => cursor.max(trail.first_retained),
			None => Self::first_at_or_after(patient, &trail, from),
		};
		let mut budget = limit.saturating_mul(SCAN_PER_RESULT);
		while index < trail.count {
			if budget == 0 || page.items.len() >= limit as usize {
				page.next = Some(index);
				break;
			}
			budget = budget.saturating_sub(1);
			let Some(entry) = Entries::<T>::get(patient, index) else { break };
			if entry.time > to {
				break;
			}
			let disclosed = entry.action.is_disclosure()
				&& entry.outcome == AuditOutcome::Success
				&& entry.organisation.is_some()
				&& entry.time >= from;
			if disclosed {
				page.items.push(entry);
			}
			index = index.saturating_add(1);
		}
		page
	}

	/// Checks the invariants: every trail stores exactly its entries from `first_retained` to
	/// `count`, each under its own index, folding them onto the anchor gives the head, and no
	/// entry is stored outside a trail.
	#[cfg(any(feature = "try-runtime", feature = "std"))]
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

impl<T: Config> AuditSink<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn append(event: AuditEvent<T::AccountId, BlockNumberFor<T>>) {
		Pallet::<T>::append(event)
	}
}
