//! The calls' logic, the registry traits other pallets use, and the storage invariants.
//!
//! Every `do_*` function checks everything first and writes last, so a failing call changes
//! nothing.

use crate::{pallet::*, types::*};
use ehr_primitives::{
	Accreditation, ActForError, AuditAction, AuditActor, AuditEntity, AuditEvent, AuditOutcome,
	AuditSink, OrgId, PatientAgent, PatientId, PatientRegistry, PatientStatus, ProviderInfo,
	ProviderRegistry, ProviderRole,
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{Consideration, Footprint},
	},
	frame_system::{
		self, ensure_signed,
		pallet_prelude::{BlockNumberFor, OriginFor},
	},
	sp_io::hashing::blake2_256,
};

impl<T: Config> Pallet<T> {
	/// The footprint a patient's deposit is priced by: the largest record it may grow to, plus
	/// its controller index entries and a pending controller invitation.
	pub fn patient_footprint() -> Footprint {
		let record = PatientOfConfig::<T>::max_encoded_len();
		let index = T::AccountId::max_encoded_len().saturating_add(PatientId::max_encoded_len());
		let invitation = PatientId::max_encoded_len()
			.saturating_add(ControllerInvitation::<T::AccountId>::max_encoded_len());
		let size = (T::MaxControllers::get() as usize)
			.saturating_mul(index)
			.saturating_add(record)
			.saturating_add(invitation);
		Footprint::from_parts(1, size)
	}

	/// The footprint of a closed identity's tombstone in [`ClosedPatients`], which stays for
	/// good: the part of the deposit that is burnt on closing.
	pub fn tombstone_footprint() -> Footprint {
		Footprint::from_mel::<(PatientId, BlockNumberFor<T>)>()
	}

	/// The id the next registration by `who` gets: a hash of a domain tag, the registration
	/// counter, the registrant and the parent block hash. No personal data goes in.
	pub fn next_patient_id(who: &T::AccountId) -> PatientId {
		let nonce = PatientNonce::<T>::get();
		let parent = frame_system::Pallet::<T>::parent_hash();
		PatientId(blake2_256(&(b"ehr/patient-id", nonce, who, parent).encode()))
	}

	/// The identity `who` controls, with its record.
	fn controlled(who: &T::AccountId) -> Result<(PatientId, PatientOfConfig<T>), DispatchError> {
		let patient = PatientOf::<T>::get(who).ok_or(Error::<T>::NotController)?;
		let record = Patients::<T>::get(patient).ok_or(Error::<T>::NotController)?;
		Ok((patient, record))
	}

	fn audit(patient: PatientId, actor: &T::AccountId, action: AuditAction, agent: &T::AccountId) {
		T::AuditSink::append(AuditEvent {
			patient,
			actor: AuditActor::Account(actor.clone()),
			organisation: None,
			action,
			entity: if matches!(action, AuditAction::PatientClosed) {
				AuditEntity::Patient
			} else {
				AuditEntity::Agent(agent.clone())
			},
			purpose: None,
			outcome: AuditOutcome::Success,
		});
	}

	pub(crate) fn do_register_patient(who: T::AccountId) -> DispatchResult {
		ensure!(!PatientOf::<T>::contains_key(&who), Error::<T>::AlreadyController);
		let patient = Self::next_patient_id(&who);
		ensure!(
			!Patients::<T>::contains_key(patient) && !ClosedPatients::<T>::contains_key(patient),
			Error::<T>::PatientIdTaken
		);
		let nonce = PatientNonce::<T>::get().saturating_add(1);
		let deposit = T::PatientDeposit::new(&who, Self::patient_footprint())?;
		let controllers = BoundedVec::truncate_from(alloc::vec![who.clone()]);
		Patients::<T>::insert(
			patient,
			Patient {
				controllers,
				guardians: BoundedVec::new(),
				depositor: who.clone(),
				deposit,
				registered_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		PatientOf::<T>::insert(&who, patient);
		PatientNonce::<T>::put(nonce);
		Self::deposit_event(Event::PatientRegistered { patient, controller: who });
		Ok(())
	}

	/// Invites `invitee` to control the signer's identity: added, or in place of `replaces`.
	pub(crate) fn do_invite_controller(
		who: T::AccountId,
		invitee: T::AccountId,
		replaces: Option<T::AccountId>,
	) -> DispatchResult {
		let (patient, record) = Self::controlled(&who)?;
		ensure!(!PatientOf::<T>::contains_key(&invitee), Error::<T>::AlreadyController);
		if replaces.is_none() {
			ensure!(
				(record.controllers.len() as u32) < T::MaxControllers::get(),
				Error::<T>::TooManyControllers
			);
		}
		ControllerInvitations::<T>::insert(
			patient,
			ControllerInvitation {
				invitee: invitee.clone(),
				invited_by: who,
				replaces: replaces.clone(),
			},
		);
		Self::deposit_event(Event::ControllerInvited { patient, invitee, replaces });
		Ok(())
	}

	pub(crate) fn do_accept_controller(who: T::AccountId, patient: PatientId) -> DispatchResult {
		let invitation = ControllerInvitations::<T>::get(patient)
			.filter(|invitation| invitation.invitee == who)
			.ok_or(Error::<T>::NoInvitation)?;
		ensure!(!PatientOf::<T>::contains_key(&who), Error::<T>::AlreadyController);
		let mut record = Patients::<T>::get(patient).ok_or(Error::<T>::NoInvitation)?;
		match &invitation.replaces {
			None => record
				.controllers
				.try_push(who.clone())
				.map_err(|_| Error::<T>::TooManyControllers)?,
			Some(old) => {
				let slot = record
					.controllers
					.iter_mut()
					.find(|c| **c == *old)
					.ok_or(Error::<T>::ControllerNotFound)?;
				*slot = who.clone();
			},
		}
		// A guardian who becomes a controller is no longer listed as a guardian.
		record.guardians.retain(|g| g.account != who);
		Patients::<T>::insert(patient, record);
		ControllerInvitations::<T>::remove(patient);
		PatientOf::<T>::insert(&who, patient);
		match invitation.replaces {
			None => {
				Self::audit(patient, &invitation.invited_by, AuditAction::ControllerAdded, &who);
				Self::deposit_event(Event::ControllerAdded { patient, controller: who });
			},
			Some(old) => {
				PatientOf::<T>::remove(&old);
				Self::audit(patient, &old, AuditAction::ControllerReplaced, &who);
				Self::deposit_event(Event::ControllerReplaced {
					patient,
					old_controller: old,
					new_controller: who,
				});
			},
		}
		Ok(())
	}

	pub(crate) fn do_remove_controller(
		who: T::AccountId,
		controller: T::AccountId,
	) -> DispatchResult {
		let (patient, mut record) = Self::controlled(&who)?;
		let position = record
			.controllers
			.iter()
			.position(|c| *c == controller)
			.ok_or(Error::<T>::ControllerNotFound)?;
		ensure!(record.controllers.len() > 1, Error::<T>::LastController);
		record.controllers.remove(position);
		Patients::<T>::insert(patient, record);
		PatientOf::<T>::remove(&controller);
		Self::audit(patient, &who, AuditAction::ControllerRemoved, &controller);
		Self::deposit_event(Event::ControllerRemoved { patient, controller });
		Ok(())
	}

	pub(crate) fn do_add_guardian(
		who: T::AccountId,
		guardian: T::AccountId,
		until: Option<BlockNumberFor<T>>,
	) -> DispatchResult {
		let (patient, mut record) = Self::controlled(&who)?;
		ensure!(!record.controllers.contains(&guardian), Error::<T>::GuardianIsController);
		ensure!(
			!record.guardians.iter().any(|g| g.account == guardian),
			Error::<T>::GuardianAlreadyExists
		);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(until.is_none_or(|end| end > now), Error::<T>::GuardianTermInPast);
		record
			.guardians
			.try_push(Guardian { account: guardian.clone(), until })
			.map_err(|_| Error::<T>::TooManyGuardians)?;
		Patients::<T>::insert(patient, record);
		Self::audit(patient, &who, AuditAction::GuardianAdded, &guardian);
		Self::deposit_event(Event::GuardianAdded { patient, guardian, until });
		Ok(())
	}

	pub(crate) fn do_remove_guardian(
		who: T::AccountId,
		patient: PatientId,
		guardian: T::AccountId,
	) -> DispatchResult {
		let mut record = Patients::<T>::get(patient).ok_or(Error::<T>::PatientNotFound)?;
		ensure!(who == guardian || record.controllers.contains(&who), Error::<T>::NotAuthorized);
		let position = record
			.guardians
			.iter()
			.position(|g| g.account == guardian)
			.ok_or(Error::<T>::GuardianNotFound)?;
		record.guardians.remove(position);
		Patients::<T>::insert(patient, record);
		Self::audit(patient, &who, AuditAction::GuardianRemoved, &guardian);
		Self::deposit_event(Event::GuardianRemoved { patient, guardian });
		Ok(())
	}

	pub(crate) fn do_close_patient(who: T::AccountId) -> DispatchResult {
		let (patient, record) = Self::controlled(&who)?;
		// The tombstone stays for good (finding 8): its share of the deposit is burnt, and the
		// rest released, so registering and closing identities over and over is paid for.
		record
			.deposit
			.update(&record.depositor, Self::tombstone_footprint())?
			.burn(&record.depositor);
		for controller in &record.controllers {
			PatientOf::<T>::remove(controller);
		}
		ControllerInvitations::<T>::remove(patient);
		Patients::<T>::remove(patient);
		ClosedPatients::<T>::insert(patient, frame_system::Pallet::<T>::block_number());
		Self::audit(patient, &who, AuditAction::PatientClosed, &who);
		Self::deposit_event(Event::PatientClosed { patient });
		Ok(())
	}

	pub(crate) fn do_register_organisation(admin: T::AccountId) -> DispatchResult {
		let id = NextOrgId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::TooManyOrganisations)?;
		let organisation = OrgId(id);
		Organisations::<T>::insert(
			organisation,
			Organisation { admin: Some(admin.clone()), suspended: false },
		);
		NextOrgId::<T>::put(next);
		Self::deposit_event(Event::OrganisationRegistered { organisation, admin });
		Ok(())
	}

	/// `None` for the accreditation origin (governance), the signer otherwise.
	pub(crate) fn governance_or_signed(
		origin: OriginFor<T>,
	) -> Result<Option<T::AccountId>, DispatchError> {
		match T::AccreditationOrigin::try_origin(origin) {
			Ok(_) => Ok(None),
			Err(origin) => Ok(Some(ensure_signed(origin)?)),
		}
	}

	/// Fails unless `who` is the admin of `organisation` and the organisation is not
	/// suspended.
	pub(crate) fn ensure_admin_of(who: &T::AccountId, organisation: OrgId) -> DispatchResult {
		let org = Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
		ensure!(org.admin.as_ref() == Some(who), Error::<T>::NotOrganisationAdmin);
		ensure!(!org.suspended, Error::<T>::OrganisationSuspended);
		Ok(())
	}

	/// Accredits `provider`; `by_governance` clears a governance revocation of the account
	/// (the caller has refused an admin's attempt at a revoked account already).
	pub(crate) fn do_accredit_provider(
		provider: T::AccountId,
		organisation: OrgId,
		role: ProviderRole,
		by_governance: bool,
	) -> DispatchResult {
		ensure!(Organisations::<T>::contains_key(organisation), Error::<T>::OrganisationNotFound);
		ensure!(!Providers::<T>::contains_key(&provider), Error::<T>::AlreadyAccredited);
		if by_governance {
			RevokedProviders::<T>::remove(&provider);
		}
		Providers::<T>::insert(
			&provider,
			Provider {
				organisation,
				role,
				status: ProviderStatus::Active,
				accredited_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::ProviderAccredited { provider, organisation, role });
		Ok(())
	}

	pub(crate) fn do_set_provider_status(
		provider: T::AccountId,
		status: ProviderStatus,
	) -> DispatchResult {
		let mut record = Providers::<T>::get(&provider).ok_or(Error::<T>::ProviderNotFound)?;
		ensure!(
			record.status != status,
			match status {
				ProviderStatus::Suspended => Error::<T>::AlreadySuspended,
				ProviderStatus::Active => Error::<T>::NotSuspended,
			}
		);
		record.status = status;
		Providers::<T>::insert(&provider, record);
		Self::deposit_event(match status {
			ProviderStatus::Suspended => Event::ProviderSuspended { provider },
			ProviderStatus::Active => Event::ProviderReinstated { provider },
		});
		Ok(())
	}

	pub(crate) fn do_revoke_provider(provider: T::AccountId) -> DispatchResult {
		let record = Providers::<T>::get(&provider).ok_or(Error::<T>::ProviderNotFound)?;
		Providers::<T>::remove(&provider);
		RevokedProviders::<T>::insert(&provider, record.organisation);
		Self::deposit_event(Event::ProviderRevoked { provider });
		Ok(())
	}

	pub(crate) fn do_set_organisation_admin(
		organisation: OrgId,
		admin: Option<T::AccountId>,
	) -> DispatchResult {
		let mut org =
			Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
		org.admin = admin.clone();
		Organisations::<T>::insert(organisation, org);
		Self::deposit_event(Event::OrganisationAdminChanged { organisation, admin });
		Ok(())
	}

	pub(crate) fn do_set_organisation_suspended(
		organisation: OrgId,
		suspended: bool,
	) -> DispatchResult {
		let mut org =
			Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
		ensure!(
			org.suspended != suspended,
			if suspended {
				Error::<T>::OrganisationAlreadySuspended
			} else {
				Error::<T>::OrganisationNotSuspended
			}
		);
		org.suspended = suspended;
		Organisations::<T>::insert(organisation, org);
		Self::deposit_event(if suspended {
			Event::OrganisationSuspended { organisation }
		} else {
			Event::OrganisationReinstated { organisation }
		});
		Ok(())
	}

	/// Checks the storage invariants:
	/// - every open identity has at least one controller, no duplicate controllers or guardians,
	///   no account that is both, and is not also a tombstone;
	/// - the controller index [`PatientOf`] matches the controllers exactly;
	/// - every provider's organisation exists, and organisation ids are below [`NextOrgId`];
	/// - the deposits held under [`HoldReason::PatientDeposit`] match the open identities: each
	///   depositor holds the same amount per identity.
	#[cfg(any(feature = "try-runtime", feature = "std"))]
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
		use polkadot_sdk::frame_support::traits::fungible::InspectHold;

		let mut controller_count = 0usize;
		let mut per_depositor: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (patient, record) in Patients::<T>::iter() {
			ensure!(!record.controllers.is_empty(), "an open identity has no controller");
			ensure!(!ClosedPatients::<T>::contains_key(patient), "identity both open and closed");
			let controllers: BTreeSet<_> = record.controllers.iter().collect();
			ensure!(controllers.len() == record.controllers.len(), "duplicate controller");
			let guardians: BTreeSet<_> = record.guardians.iter().map(|g| &g.account).collect();
			ensure!(guardians.len() == record.guardians.len(), "duplicate guardian");
			ensure!(controllers.is_disjoint(&guardians), "a controller is also a guardian");
			for controller in &record.controllers {
				ensure!(
					PatientOf::<T>::get(controller) == Some(patient),
					"controller missing from the index"
				);
			}
			controller_count = controller_count.saturating_add(record.controllers.len());
			ehr_primitives::tally(&mut per_depositor, record.depositor.clone());
		}
		ensure!(
			PatientOf::<T>::iter().count() == controller_count,
			"controller index has entries for no identity"
		);
		for patient in ControllerInvitations::<T>::iter_keys() {
			ensure!(Patients::<T>::contains_key(patient), "an invitation of no open identity");
		}
		let reason = T::RuntimeHoldReason::from(HoldReason::PatientDeposit);
		ehr_primitives::check_uniform_deposits(per_depositor, |who| {
			T::Currency::balance_on_hold(&reason, who)
		})?;

		let next_org = NextOrgId::<T>::get();
		for (org, _) in Organisations::<T>::iter() {
			ensure!(org.0 < next_org, "organisation id not below NextOrgId");
		}
		for (account, provider) in Providers::<T>::iter() {
			ensure!(
				Organisations::<T>::contains_key(provider.organisation),
				"provider of an unknown organisation"
			);
			ensure!(
				!RevokedProviders::<T>::contains_key(&account),
				"an accredited account is marked revoked"
			);
		}
		Ok(())
	}
}

impl<T: Config> PatientRegistry<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn status(patient: &PatientId) -> Option<PatientStatus<BlockNumberFor<T>>> {
		if Patients::<T>::contains_key(patient) {
			Some(PatientStatus::Active)
		} else {
			ClosedPatients::<T>::get(patient).map(|at| PatientStatus::Closed { at })
		}
	}

	fn agent(who: &T::AccountId, patient: &PatientId) -> Result<PatientAgent, ActForError> {
		// One read of the record answers for controllers and guardians alike.
		let Some(record) = Patients::<T>::get(patient) else {
			return Err(if ClosedPatients::<T>::contains_key(patient) {
				ActForError::PatientClosed
			} else {
				ActForError::UnknownPatient
			});
		};
		if record.controllers.contains(who) {
			return Ok(PatientAgent::Controller);
		}
		let now = frame_system::Pallet::<T>::block_number();
		if record.guardians.iter().any(|g| g.account == *who && g.in_term(&now)) {
			Ok(PatientAgent::Guardian)
		} else {
			Err(ActForError::NotAuthorized)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(controller: &T::AccountId) -> PatientId {
		T::PatientDeposit::ensure_successful(controller, Self::patient_footprint());
		let patient = Self::next_patient_id(controller);
		if let Err(e) = Self::do_register_patient(controller.clone()) {
			log::error!(target: "runtime::ehr-identity", "benchmark registration failed: {e:?}");
		}
		patient
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn close_for_benchmark(patient: &PatientId) {
		if let Some(controller) =
			Patients::<T>::get(patient).and_then(|r| r.controllers.first().cloned())
		{
			if let Err(e) = Self::do_close_patient(controller) {
				log::error!(target: "runtime::ehr-identity", "benchmark close failed: {e:?}");
			}
		}
	}
}

impl<T: Config> ProviderRegistry<T::AccountId> for Pallet<T> {
	fn accreditation(who: &T::AccountId) -> Option<Accreditation> {
		let provider = Providers::<T>::get(who)?;
		let organisation_in_force =
			Organisations::<T>::get(provider.organisation).is_some_and(|org| !org.suspended);
		Some(Accreditation {
			info: ProviderInfo { organisation: provider.organisation, role: provider.role },
			active: provider.status == ProviderStatus::Active && organisation_in_force,
		})
	}

	fn organisation_exists(org: OrgId) -> bool {
		Organisations::<T>::contains_key(org)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn accredit_for_benchmark(who: &T::AccountId) -> ProviderInfo {
		let organisation = match Organisations::<T>::iter_keys().next() {
			Some(org) => org,
			None => {
				let org = OrgId(NextOrgId::<T>::get());
				let _ = Self::do_register_organisation(who.clone());
				org
			},
		};
		let role = ProviderRole::Physician;
		let _ = Self::do_accredit_provider(who.clone(), organisation, role, true);
		ProviderInfo { organisation, role }
	}
}
