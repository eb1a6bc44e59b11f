//! The calls' logic.
//!
//! Every `do_*` function checks everything first and writes last, so a failing call changes
//! nothing.

use crate::{pallet::*, types::*};
use ehr_primitives::{
	AuditAction, AuditActor, AuditEntity, AuditEvent, OrgId, PatientId, ProviderRole,
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
	/// The current block of [`Config::BlockNumberProvider`]: the relay chain's in a runtime.
	pub fn now() -> BlockNumberFor<T> {
		<T::BlockNumberProvider as polkadot_sdk::sp_runtime::traits::BlockNumberProvider>::current_block_number()
	}

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
				registered_at: Self::now(),
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
				AuditEvent::new(
					patient,
					AuditActor::Account(invitation.invited_by.clone()),
					AuditAction::ControllerAdded,
					AuditEntity::Agent(who.clone()),
				)
				.append_to::<T::AuditSink>();
				Self::deposit_event(Event::ControllerAdded { patient, controller: who });
			},
			Some(old) => {
				PatientOf::<T>::remove(&old);
				AuditEvent::new(
					patient,
					AuditActor::Account(old.clone()),
					AuditAction::ControllerReplaced,
					AuditEntity::Agent(who.clone()),
				)
				.append_to::<T::AuditSink>();
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
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::ControllerRemoved,
			AuditEntity::Agent(controller.clone()),
		)
		.append_to::<T::AuditSink>();
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
		let now = Self::now();
		ensure!(until.is_none_or(|end| end > now), Error::<T>::GuardianTermInPast);
		record
			.guardians
			.try_push(Guardian { account: guardian.clone(), until })
			.map_err(|_| Error::<T>::TooManyGuardians)?;
		Patients::<T>::insert(patient, record);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::GuardianAdded,
			AuditEntity::Agent(guardian.clone()),
		)
		.append_to::<T::AuditSink>();
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
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::GuardianRemoved,
			AuditEntity::Agent(guardian.clone()),
		)
		.append_to::<T::AuditSink>();
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
		ClosedPatients::<T>::insert(patient, Self::now());
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::PatientClosed,
			AuditEntity::Patient,
		)
		.append_to::<T::AuditSink>();
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
				accredited_at: Self::now(),
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
}
