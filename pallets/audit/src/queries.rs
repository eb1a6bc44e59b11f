//! The reads the runtime API serves: a trail's head, its entries and the accounting of
//! disclosures.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use ehr_primitives::{AuditOutcome, PatientId};

/// How many entries one disclosures query reads, per entry it may return.
const SCAN_PER_RESULT: u32 = 4;

impl<T: Config> Pallet<T> {
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
}
