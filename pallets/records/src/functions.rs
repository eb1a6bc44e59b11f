//! The calls' logic, the queries and the storage invariants.
//!
//! Every `do_*` function checks everything first and writes last, so a failing call changes
//! nothing.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use ehr_primitives::{
	hashing::verify_merkle_proof, AccessDecision, AccessRequest, ActForError, Action, AuditAction,
	AuditActor, AuditEntity, AuditEvent, AuditOutcome, AuditSink, ConsentCheck, DataCategory,
	DenialReason, Digest, OrgId, PatientId, PatientRegistry, PatientStatus, ProviderRegistry,
	PurposeOfUse, RecordId,
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{Consideration, Time},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
};

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	fn agent_error(e: ActForError) -> Error<T> {
		match e {
			ActForError::UnknownPatient => Error::<T>::PatientNotFound,
			ActForError::PatientClosed => Error::<T>::PatientClosed,
			ActForError::NotAuthorized => Error::<T>::NotAuthorized,
		}
	}

	fn audit(
		patient: PatientId,
		who: &T::AccountId,
		organisation: Option<OrgId>,
		action: AuditAction,
		record: RecordId,
		purpose: Option<PurposeOfUse>,
		outcome: AuditOutcome,
	) {
		T::AuditSink::append(AuditEvent {
			patient,
			actor: AuditActor::Account(who.clone()),
			organisation,
			action,
			entity: AuditEntity::Record(record),
			purpose,
			outcome,
		});
	}

	/// Who may write for `patient`: the patient side (organisation `None`) or a provider whom
	/// the consent check permits the write (its organisation).
	fn authorise_write(
		who: &T::AccountId,
		patient: PatientId,
		category: DataCategory,
		purpose: PurposeOfUse,
	) -> Result<Option<OrgId>, Error<T>> {
		match T::Patients::agent(who, &patient) {
			Ok(_) => return Ok(None),
			Err(ActForError::NotAuthorized) => {},
			Err(e) => return Err(Self::agent_error(e)),
		}
		let provider = T::Providers::active_provider(who).ok_or(Error::<T>::NotAuthorized)?;
		let request = AccessRequest { patient, category, action: Action::Write, purpose };
		match T::Consent::check_at(who, &request, Self::now()) {
			AccessDecision::Permitted(_) => Ok(Some(provider.organisation)),
			AccessDecision::Denied(reason) => Err(match reason {
				DenialReason::UnknownPatient => Error::<T>::PatientNotFound,
				DenialReason::PatientClosed => Error::<T>::PatientClosed,
				DenialReason::NotAccredited => Error::<T>::NotAuthorized,
				DenialReason::NoConsent | DenialReason::OutOfScope => Error::<T>::NoWriteConsent,
				DenialReason::ConsentNotYetValid => Error::<T>::ConsentNotYetValid,
				DenialReason::ConsentExpired => Error::<T>::ConsentExpired,
				DenialReason::ConsentRevoked => Error::<T>::ConsentRevoked,
			}),
		}
	}

	pub(crate) fn do_anchor(
		who: T::AccountId,
		patient: PatientId,
		category: DataCategory,
		digest: Digest,
		locator: Option<[u8; 32]>,
		predecessor: Option<RecordId>,
		purpose: PurposeOfUse,
	) -> Result<RecordId, DispatchError> {
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
				let previous =
					Records::<T>::get(previous_id).ok_or(Error::<T>::PredecessorNotFound)?;
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
		Self::audit(patient, &who, organisation, action, id, Some(purpose), AuditOutcome::Success);
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
		let mut record = Records::<T>::get(id).ok_or(Error::<T>::RecordNotFound)?;
		match record.status {
			RecordStatus::Erased { .. } => return Err(Error::<T>::RecordErased.into()),
			RecordStatus::Retracted { .. } => return Err(Error::<T>::AlreadyRetracted.into()),
			RecordStatus::Active => {},
		}
		let organisation = match record.organisation {
			Some(author_org) => {
				let provider =
					T::Providers::active_provider(&who).ok_or(Error::<T>::NotAccredited)?;
				ensure!(provider.organisation == author_org, Error::<T>::NotAuthorOrganisation);
				Some(author_org)
			},
			None => {
				T::Patients::agent(&who, &record.patient).map_err(Self::agent_error)?;
				None
			},
		};
		record.status = RecordStatus::Retracted { at: Self::now() };
		let patient = record.patient;
		Records::<T>::insert(id, record);
		Self::audit(
			patient,
			&who,
			organisation,
			AuditAction::RecordRetracted,
			id,
			None,
			AuditOutcome::Success,
		);
		Self::deposit_event(Event::RecordRetracted { record: id, patient, retracted_by: who });
		Ok(())
	}

	/// Erases a record that is known not to be erased: the writes of an erasure.
	fn erase(who: &T::AccountId, id: RecordId, mut record: RecordOf<T>) -> DispatchResult {
		if let Some(deposit) = record.deposit.take() {
			// The tombstone stays for good (finding 8): its share of the deposit is burnt and
			// the rest goes back to the author, so anchoring and erasing over and over is paid
			// for.
			deposit
				.update(&record.author, Self::tombstone_footprint())?
				.burn(&record.author);
		}
		if let Some(digest) = record.digest.take() {
			RecordByDigest::<T>::remove(record.patient, digest);
			ErasedDigests::<T>::insert(record.patient, Self::erased_key(&digest), ());
		}
		record.locator = None;
		record.status = RecordStatus::Erased { at: Self::now() };
		let patient = record.patient;
		Records::<T>::insert(id, record);
		PatientRecords::<T>::remove(patient, id);
		RecordCount::<T>::mutate_exists(patient, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0)
		});
		Self::audit(patient, who, None, AuditAction::RecordErased, id, None, AuditOutcome::Success);
		Self::deposit_event(Event::RecordErased { record: id, patient, erased_by: who.clone() });
		Ok(())
	}

	pub(crate) fn do_erase_one(who: T::AccountId, id: RecordId) -> DispatchResult {
		let record = Records::<T>::get(id).ok_or(Error::<T>::RecordNotFound)?;
		T::Patients::agent(&who, &record.patient).map_err(Self::agent_error)?;
		ensure!(!record.is_erased(), Error::<T>::AlreadyErased);
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
				T::Patients::agent(&who, &patient).map_err(Self::agent_error)?;
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
		let record = Records::<T>::get(id).ok_or(Error::<T>::RecordNotFound)?;
		ensure!(!record.is_erased(), Error::<T>::RecordErased);
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
		Self::audit(
			record.patient,
			&who,
			organisation,
			AuditAction::RecordAccessed,
			id,
			Some(purpose),
			outcome,
		);
		Self::deposit_event(Event::RecordAccessed {
			record: id,
			patient: record.patient,
			accessor: who,
			purpose,
			outcome,
		});
		Ok(())
	}

	// ---- Queries (runtime API) ----

	fn view(id: RecordId, record: RecordOf<T>) -> RecordViewOf<T> {
		let latest = if record.version.successor.is_none() {
			id
		} else {
			LatestVersion::<T>::get(record.version.chain).unwrap_or(id)
		};
		RecordView {
			id,
			patient: record.patient,
			category: record.category,
			digest: record.digest,
			locator: record.locator,
			author: record.author,
			organisation: record.organisation,
			anchored_at: record.anchored_at,
			timestamp: record.timestamp,
			version: record.version,
			latest,
			status: record.status,
		}
	}

	/// A record by id, tombstones included.
	pub fn record(id: RecordId) -> Option<RecordViewOf<T>> {
		Records::<T>::get(id).map(|record| Self::view(id, record))
	}

	/// Verifies a document of `patient` by its digest: its record, status and place in the
	/// version chain, and the chain's latest version. At most three reads. `None` if the digest
	/// was never anchored for the patient or its record was erased.
	pub fn verify_digest(patient: PatientId, digest: Digest) -> Option<RecordViewOf<T>> {
		let id = RecordByDigest::<T>::get(patient, digest)?;
		Self::record(id)
	}

	/// The key under which an erased digest is remembered: a one-way hash of it.
	pub fn erased_key(digest: &Digest) -> [u8; 32] {
		polkadot_sdk::frame_support::Hashable::blake2_256(digest)
	}

	/// The latest version of the chain `id` belongs to.
	pub fn latest_version(id: RecordId) -> Option<RecordViewOf<T>> {
		let record = Records::<T>::get(id)?;
		let latest = LatestVersion::<T>::get(record.version.chain).unwrap_or(record.version.chain);
		Self::record(latest)
	}

	/// A batch by the organisation that anchored it and its root.
	pub fn batch(organisation: OrgId, root: [u8; 32]) -> Option<BatchViewOf<T>> {
		Batches::<T>::get(organisation, root).map(|b| BatchView {
			root,
			leaf_count: b.leaf_count,
			author: b.author,
			organisation: b.organisation,
			anchored_at: b.anchored_at,
			timestamp: b.timestamp,
		})
	}

	/// Verifies that `digest` is document number `index` of the batch `organisation` anchored
	/// with `root`.
	pub fn verify_batch_proof(
		organisation: OrgId,
		root: [u8; 32],
		index: u32,
		digest: Digest,
		proof: Vec<[u8; 32]>,
	) -> Result<BatchViewOf<T>, BatchProofError> {
		let batch = Self::batch(organisation, root).ok_or(BatchProofError::UnknownBatch)?;
		ensure!(index < batch.leaf_count, BatchProofError::IndexOutOfRange);
		ensure!(
			verify_merkle_proof(&root, batch.leaf_count, index, &digest, &proof),
			BatchProofError::InvalidProof
		);
		Ok(batch)
	}

	/// Checks the invariants: the digest index matches the records exactly, erased records
	/// are tombstones outside every index, the patient index and counts match, version chains
	/// are well formed with the right latest versions, and deposits match the stored items.
	#[cfg(any(feature = "try-runtime", feature = "std"))]
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use polkadot_sdk::frame_support::traits::fungible::InspectHold;

		let next = NextRecordId::<T>::get();
		let mut indexed_digests: u64 = 0;
		let mut per_patient: BTreeMap<PatientId, u32> = BTreeMap::new();
		let mut per_author: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (id, record) in Records::<T>::iter() {
			ensure!(id.0 < next, "a record id at or past the next id");
			if record.is_erased() {
				ensure!(
					record.digest.is_none() && record.locator.is_none() && record.deposit.is_none(),
					"an erased record keeps its digest, locator or deposit"
				);
				ensure!(
					!PatientRecords::<T>::contains_key(record.patient, id),
					"an erased record is still in the patient index"
				);
			} else {
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
			}
			let v = record.version;
			match v.predecessor {
				None => ensure!(
					v.number == 1 && v.chain == id,
					"a first version is not numbered 1 or does not name its chain"
				),
				Some(p) => {
					let previous = Records::<T>::get(p).ok_or("a predecessor is missing")?;
					ensure!(previous.version.successor == Some(id), "a broken predecessor link");
					ensure!(previous.version.chain == v.chain, "a version in another chain");
					ensure!(
						previous.version.number.checked_add(1) == Some(v.number),
						"version numbers do not follow"
					);
					ensure!(
						previous.patient == record.patient && previous.category == record.category,
						"a version of another patient or category"
					);
				},
			}
			if let Some(s) = v.successor {
				let next_version = Records::<T>::get(s).ok_or("a successor is missing")?;
				ensure!(next_version.version.predecessor == Some(id), "a broken successor link");
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
			let record = Records::<T>::get(latest).ok_or("a latest version is missing")?;
			ensure!(
				record.version.chain == chain && record.version.successor.is_none(),
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
