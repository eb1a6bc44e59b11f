//! The calls' logic.
//!
//! Every `do_*` function checks everything first and writes last, so a failing call changes
//! nothing.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use ehr_primitives::{
	AccessDecision, AccessRequest, ActForError, Action, AuditAction, AuditActor, AuditEntity,
	AuditEvent, AuditOutcome, CategoryTag, ConsentCheck, Digest, OrgId, PatientId, PatientRegistry,
	PatientStatus, ProviderRegistry, PurposeOfUse, RecordId,
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{Consideration, Time},
	},
	frame_system::pallet_prelude::BlockNumberFor,
};

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		<T::BlockNumberProvider as polkadot_sdk::sp_runtime::traits::BlockNumberProvider>::current_block_number()
	}

	/// Who may write for `patient`: the patient side (organisation `None`) or a provider whom
	/// the consent check permits the write (its organisation).
	fn authorise_write(
		who: &T::AccountId,
		patient: PatientId,
		category: CategoryTag,
		purpose: PurposeOfUse,
	) -> Result<Option<OrgId>, DispatchError> {
		match T::Patients::agent(who, &patient) {
			Ok(_) => return Ok(None),
			Err(ActForError::NotAuthorized) => {},
			Err(e) => return Err(T::Patients::agent_error(e)),
		}
		let provider = T::Providers::active_provider(who).ok_or(Error::<T>::NotAuthorized)?;
		let request = AccessRequest { patient, category, action: Action::Write, purpose };
		match T::Consent::check_at(who, &request, Self::now()) {
			AccessDecision::Permitted(_) => Ok(Some(provider.organisation)),
			// One error carrying the check's reason, as the audit trail records it.
			AccessDecision::Denied(reason) => Err(Error::<T>::WriteDenied(reason).into()),
		}
	}

	pub(crate) fn do_anchor(
		who: T::AccountId,
		patient: PatientId,
		category: CategoryTag,
		digest: Digest,
		locator: Option<[u8; 32]>,
		predecessor: Option<RecordId>,
		purpose: PurposeOfUse,
	) -> Result<RecordId, DispatchError> {
		ensure!(category.is_valid(), Error::<T>::InvalidCategoryTag);
		let organisation = Self::authorise_write(&who, patient, category, purpose)?;
		ensure!(digest.hash != [0u8; 32], Error::<T>::InvalidDigest);
		ensure!(
			!RecordByDigest::<T>::contains_key(patient, digest),
			Error::<T>::DigestAlreadyAnchored
		);
		ensure!(
			!ErasedDigests::<T>::contains_key(patient, Self::erased_key(&digest)),
			Error::<T>::DigestErased
		);
		let count = RecordCount::<T>::get(patient);
		ensure!(count < T::MaxRecordsPerPatient::get(), Error::<T>::TooManyRecords);
		let raw = NextRecordId::<T>::get();
		let next = raw.checked_add(1).ok_or(Error::<T>::RecordIdsExhausted)?;
		let id = RecordId(raw);

		let mut amended: Option<RecordOf<T>> = None;
		let version = match predecessor {
			None => Version { chain: id, number: 1, predecessor: None, successor: None },
			Some(previous_id) => {
				let previous = Self::live_record(
					previous_id,
					Error::<T>::PredecessorNotFound,
					Error::<T>::RecordNotActive,
				)?;
				ensure!(previous.patient == patient, Error::<T>::PredecessorOfOtherPatient);
				ensure!(previous.status == RecordStatus::Active, Error::<T>::RecordNotActive);
				ensure!(previous.version.successor.is_none(), Error::<T>::NotLatestVersion);
				ensure!(previous.category == category, Error::<T>::CategoryMismatch);
				let number =
					previous.version.number.checked_add(1).ok_or(Error::<T>::TooManyVersions)?;
				let chain = previous.version.chain;
				let mut previous = previous;
				previous.version.successor = Some(id);
				amended = Some(previous);
				Version { chain, number, predecessor: Some(previous_id), successor: None }
			},
		};

		let deposit = T::RecordDeposit::new(&who, Self::record_footprint())?;
		let now = Self::now();
		Records::<T>::insert(
			id,
			Record {
				patient,
				category,
				digest: Some(digest),
				locator,
				author: who.clone(),
				organisation,
				anchored_at: now,
				timestamp: T::Time::now(),
				version,
				status: RecordStatus::Active,
				deposit: Some(deposit),
			},
		);
		if let (Some(previous_id), Some(previous)) = (predecessor, amended) {
			Records::<T>::insert(previous_id, previous);
			LatestVersion::<T>::insert(version.chain, id);
		}
		RecordByDigest::<T>::insert(patient, digest, id);
		PatientRecords::<T>::insert(patient, id, ());
		RecordCount::<T>::insert(patient, count.saturating_add(1));
		NextRecordId::<T>::put(next);
		let action = if predecessor.is_some() {
			AuditAction::RecordAmended
		} else {
			AuditAction::RecordAnchored
		};
		AuditEvent::new(patient, AuditActor::Account(who.clone()), action, AuditEntity::Record(id))
			.organisation(organisation)
			.purpose(Some(purpose))
			.append_to::<T::AuditSink>();
		Self::deposit_event(Event::RecordAnchored {
			record: id,
			patient,
			category,
			digest,
			author: who,
			organisation,
			predecessor,
			version: version.number,
		});
		Ok(id)
	}

	pub(crate) fn do_retract(who: T::AccountId, id: RecordId) -> DispatchResult {
		let mut record =
			Self::live_record(id, Error::<T>::RecordNotFound, Error::<T>::RecordErased)?;
		// A live record is active or retracted; an erased one is a tombstone (above).
		ensure!(
			!matches!(record.status, RecordStatus::Retracted { .. }),
			Error::<T>::AlreadyRetracted
		);
		let organisation = match record.organisation {
			Some(author_org) => {
				let provider =
					T::Providers::active_provider(&who).ok_or(Error::<T>::NotAccredited)?;
				ensure!(provider.organisation == author_org, Error::<T>::NotAuthorOrganisation);
				Some(author_org)
			},
			None => {
				T::Patients::ensure_agent(&who, &record.patient)?;
				None
			},
		};
		record.status = RecordStatus::Retracted { at: Self::now() };
		let patient = record.patient;
		Records::<T>::insert(id, record);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::RecordRetracted,
			AuditEntity::Record(id),
		)
		.organisation(organisation)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::RecordRetracted { record: id, patient, retracted_by: who });
		Ok(())
	}

	/// The live record `id`; `erased` if only its tombstone is left; `missing` if there never
	/// was one.
	fn live_record(
		id: RecordId,
		missing: Error<T>,
		erased: Error<T>,
	) -> Result<RecordOf<T>, DispatchError> {
		Records::<T>::get(id).ok_or_else(|| {
			if Tombstones::<T>::contains_key(id) {
				erased.into()
			} else {
				missing.into()
			}
		})
	}

	/// Erases a record that is known not to be erased: the writes of an erasure.
	fn erase(who: &T::AccountId, id: RecordId, record: RecordOf<T>) -> DispatchResult {
		if let Some(deposit) = record.deposit {
			// The tombstone stays for good (finding 8): its share of the deposit is burnt and
			// the rest goes back to the author, so anchoring and erasing over and over is paid
			// for.
			deposit
				.update(&record.author, Self::tombstone_footprint())?
				.burn(&record.author);
		}
		if let Some(digest) = record.digest {
			RecordByDigest::<T>::remove(record.patient, digest);
			ErasedDigests::<T>::insert(record.patient, Self::erased_key(&digest), ());
		}
		// Only what keeps the version chains consistent stays (the privacy threat model,
		// docs/privacy.md): no category, author, organisation or anchoring time.
		Tombstones::<T>::insert(
			id,
			Tombstone { patient: record.patient, version: record.version, erased_at: Self::now() },
		);
		let patient = record.patient;
		Records::<T>::remove(id);
		PatientRecords::<T>::remove(patient, id);
		RecordCount::<T>::mutate_exists(patient, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0)
		});
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::RecordErased,
			AuditEntity::Record(id),
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::RecordErased { record: id, patient, erased_by: who.clone() });
		Ok(())
	}

	pub(crate) fn do_erase_one(who: T::AccountId, id: RecordId) -> DispatchResult {
		let record = Self::live_record(id, Error::<T>::RecordNotFound, Error::<T>::AlreadyErased)?;
		T::Patients::ensure_agent(&who, &record.patient)?;
		Self::erase(&who, id, record)
	}

	pub(crate) fn do_erase_patient(
		who: T::AccountId,
		patient: PatientId,
		max: u32,
	) -> Result<u32, DispatchError> {
		match T::Patients::status(&patient) {
			None => return Err(Error::<T>::PatientNotFound.into()),
			Some(PatientStatus::Closed { .. }) => {},
			Some(PatientStatus::Active) => {
				T::Patients::ensure_agent(&who, &patient)?;
			},
		}
		let ids: Vec<RecordId> =
			PatientRecords::<T>::iter_key_prefix(patient).take(max as usize).collect();
		ensure!(!ids.is_empty(), Error::<T>::NothingToErase);
		let mut records = Vec::with_capacity(ids.len());
		for id in ids {
			let record = Records::<T>::get(id).ok_or(Error::<T>::RecordNotFound)?;
			records.push((id, record));
		}

		let erased = u32::try_from(records.len()).unwrap_or(u32::MAX);
		for (id, record) in records {
			Self::erase(&who, id, record)?;
		}
		Self::deposit_event(Event::PatientRecordsErased {
			patient,
			erased,
			remaining: RecordCount::<T>::get(patient),
		});
		Ok(erased)
	}

	pub(crate) fn do_anchor_batch(
		who: T::AccountId,
		root: [u8; 32],
		leaf_count: u32,
	) -> DispatchResult {
		let provider = T::Providers::active_provider(&who).ok_or(Error::<T>::NotAccredited)?;
		ensure!(root != [0u8; 32], Error::<T>::InvalidDigest);
		ensure!(leaf_count >= 1, Error::<T>::EmptyBatch);
		ensure!(leaf_count <= T::MaxBatchLeaves::get(), Error::<T>::BatchTooLarge);
		ensure!(
			!Batches::<T>::contains_key(provider.organisation, root),
			Error::<T>::BatchAlreadyAnchored
		);

		let deposit = T::BatchDeposit::new(&who, Self::batch_footprint())?;
		Batches::<T>::insert(
			provider.organisation,
			root,
			Batch {
				leaf_count,
				author: who.clone(),
				organisation: provider.organisation,
				anchored_at: Self::now(),
				timestamp: T::Time::now(),
				deposit,
			},
		);
		Self::deposit_event(Event::BatchAnchored {
			root,
			leaf_count,
			author: who,
			organisation: provider.organisation,
		});
		Ok(())
	}

	pub(crate) fn do_record_access(
		who: T::AccountId,
		id: RecordId,
		purpose: PurposeOfUse,
	) -> DispatchResult {
		// Only accredited providers declare accesses (finding 1): they are the parties that
		// can obtain documents, and governance vouches for each of them. A suspended provider
		// (or one of a suspended organisation) is still accredited: its attempt is recorded as
		// denied, because an insider trying after suspension is what an audit looks for, and
		// such accounts exist only by governance's or an organisation's choice. Anyone else is
		// refused and nothing is written.
		let accreditation = T::Providers::accreditation(&who).ok_or(Error::<T>::NotAccredited)?;
		let record = Self::live_record(id, Error::<T>::RecordNotFound, Error::<T>::RecordErased)?;
		let request = AccessRequest {
			patient: record.patient,
			category: record.category,
			action: Action::Read,
			purpose,
		};
		let outcome = match T::Consent::check_at(&who, &request, Self::now()) {
			AccessDecision::Permitted(_) => AuditOutcome::Success,
			AccessDecision::Denied(reason) => AuditOutcome::Denied(reason),
		};
		let organisation = Some(accreditation.info.organisation);
		AuditEvent::new(
			record.patient,
			AuditActor::Account(who.clone()),
			AuditAction::RecordAccessed,
			AuditEntity::Record(id),
		)
		.organisation(organisation)
		.purpose(Some(purpose))
		.outcome(outcome)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::RecordAccessed {
			record: id,
			patient: record.patient,
			accessor: who,
			purpose,
			outcome,
		});
		Ok(())
	}
}
