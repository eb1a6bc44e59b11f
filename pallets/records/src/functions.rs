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
		let id = Self::record_id(&digest);
		if let Some(existing) = Records::<T>::get(patient, id) {
			return Err(if existing.digest == digest {
				Error::<T>::DigestAlreadyAnchored
			} else {
				Error::<T>::RecordIdTaken
			}
			.into());
		}
		ensure!(!Tombstones::<T>::contains_key(patient, id), Error::<T>::DigestErased);

		let mut amended: Option<RecordOf<T>> = None;
		let version = match predecessor {
			None => Version { chain: id, number: 1, predecessor: None, successor: None },
			Some(previous_id) => {
				// Under this patient only: another patient's record is not found.
				let previous = Self::live_record(
					patient,
					previous_id,
					Error::<T>::PredecessorNotFound,
					Error::<T>::RecordNotActive,
				)?;
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
			patient,
			id,
			Record {
				category,
				digest,
				locator,
				author: who.clone(),
				organisation,
				anchored_at: now,
				timestamp: T::Time::now(),
				version,
				status: RecordStatus::Active,
				deposit,
			},
		);
		if let (Some(previous_id), Some(previous)) = (predecessor, amended) {
			Records::<T>::insert(patient, previous_id, previous);
		}
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

	pub(crate) fn do_retract(
		who: T::AccountId,
		patient: PatientId,
		id: RecordId,
	) -> DispatchResult {
		let mut record =
			Self::live_record(patient, id, Error::<T>::RecordNotFound, Error::<T>::RecordErased)?;
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
				T::Patients::ensure_agent(&who, &patient)?;
				None
			},
		};
		record.status = RecordStatus::Retracted { at: Self::now() };
		Records::<T>::insert(patient, id, record);
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
		patient: PatientId,
		id: RecordId,
		missing: Error<T>,
		erased: Error<T>,
	) -> Result<RecordOf<T>, DispatchError> {
		Records::<T>::get(patient, id).ok_or_else(|| {
			if Tombstones::<T>::contains_key(patient, id) {
				erased.into()
			} else {
				missing.into()
			}
		})
	}

	/// Erases a record that is known not to be erased: the writes of an erasure.
	fn erase(
		who: &T::AccountId,
		patient: PatientId,
		id: RecordId,
		record: RecordOf<T>,
	) -> DispatchResult {
		// The tombstone stays for good (finding 8): its share of the deposit is burnt and the
		// rest goes back to the author, so anchoring and erasing over and over is paid for.
		record
			.deposit
			.update(&record.author, Self::tombstone_footprint())?
			.burn(&record.author);
		// Only what keeps the version chains consistent stays (the privacy threat model,
		// docs/privacy.md): no category, digest, author, organisation or anchoring time.
		// Its key, derived from the digest, keeps the document from being anchored again.
		Tombstones::<T>::insert(
			patient,
			id,
			Tombstone { version: record.version, erased_at: Self::now() },
		);
		Records::<T>::remove(patient, id);
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

	pub(crate) fn do_erase_one(
		who: T::AccountId,
		patient: PatientId,
		id: RecordId,
	) -> DispatchResult {
		let record =
			Self::live_record(patient, id, Error::<T>::RecordNotFound, Error::<T>::AlreadyErased)?;
		T::Patients::ensure_agent(&who, &patient)?;
		Self::erase(&who, patient, id, record)
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
		let records: Vec<(RecordId, RecordOf<T>)> =
			Records::<T>::iter_prefix(patient).take(max as usize).collect();
		ensure!(!records.is_empty(), Error::<T>::NothingToErase);

		let erased = u32::try_from(records.len()).unwrap_or(u32::MAX);
		for (id, record) in records {
			Self::erase(&who, patient, id, record)?;
		}
		Self::deposit_event(Event::PatientRecordsErased {
			patient,
			erased,
			more: Records::<T>::iter_key_prefix(patient).next().is_some(),
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
		patient: PatientId,
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
		let record =
			Self::live_record(patient, id, Error::<T>::RecordNotFound, Error::<T>::RecordErased)?;
		Self::audit_access(who, accreditation.info.organisation, patient, id, record, purpose);
		Ok(())
	}

	pub(crate) fn do_record_accesses(
		who: T::AccountId,
		accesses: BoundedVec<DeclaredAccess, T::MaxBulkAccesses>,
	) -> DispatchResult {
		ensure!(!accesses.is_empty(), Error::<T>::NoAccesses);
		// Who may declare, as for one access (finding 1).
		let accreditation = T::Providers::accreditation(&who).ok_or(Error::<T>::NotAccredited)?;
		// Every access names a live record, or nothing is written.
		let mut records = Vec::with_capacity(accesses.len());
		for (index, access) in accesses.iter().enumerate() {
			// The bound is at most `u16::MAX` (`integrity_test`).
			let at = u16::try_from(index).unwrap_or(u16::MAX);
			records.push(Self::live_record(
				access.patient,
				access.record,
				Error::<T>::AccessedRecordNotFound(at),
				Error::<T>::AccessedRecordErased(at),
			)?);
		}
		let organisation = accreditation.info.organisation;
		for (access, record) in accesses.into_iter().zip(records) {
			Self::audit_access(
				who.clone(),
				organisation,
				access.patient,
				access.record,
				record,
				access.purpose,
			);
		}
		Ok(())
	}

	/// The consent check of one declared access and its audit entry and event, as
	/// [`Pallet::record_access`] and [`Pallet::record_accesses`] record it.
	fn audit_access(
		who: T::AccountId,
		organisation: OrgId,
		patient: PatientId,
		id: RecordId,
		record: RecordOf<T>,
		purpose: PurposeOfUse,
	) {
		let request =
			AccessRequest { patient, category: record.category, action: Action::Read, purpose };
		let outcome = match T::Consent::check_at(&who, &request, Self::now()) {
			AccessDecision::Permitted(_) => AuditOutcome::Success,
			AccessDecision::Denied(reason) => AuditOutcome::Denied(reason),
		};
		let organisation = Some(organisation);
		AuditEvent::new(
			patient,
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
			patient,
			accessor: who,
			purpose,
			outcome,
		});
	}
}
