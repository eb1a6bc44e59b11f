//! The calls' logic: appending and pruning.

use crate::{pallet::*, types::*};
use ehr_primitives::{AuditEvent, AuditSink, PatientId};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{Get, Time},
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::Saturating,
};

impl<T: Config> Pallet<T> {
	/// The current block of [`Config::BlockNumberProvider`]: the relay chain's in a runtime.
	pub fn now() -> BlockNumberFor<T> {
		<T::BlockNumberProvider as polkadot_sdk::sp_runtime::traits::BlockNumberProvider>::current_block_number()
	}

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
			block: Self::now(),
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
		let now = Self::now();
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
}

impl<T: Config> AuditSink<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn append(event: AuditEvent<T::AccountId, BlockNumberFor<T>>) {
		Pallet::<T>::append(event)
	}
}
