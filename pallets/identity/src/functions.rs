//! The calls' logic.
//!
//! Every `do_*` function checks everything first and writes last, so a failing call changes
//! nothing.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use ehr_primitives::{
	AuditAction, AuditActor, AuditEntity, AuditEvent, DepositPayer, OrgId, PatientId, ProviderRole,
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
	sp_runtime::traits::{CheckedDiv, Saturating, Verify, Zero},
};

impl<T: Config> Pallet<T> {
	/// The current block of [`Config::BlockNumberProvider`]: the relay chain's in a runtime.
	pub fn now() -> BlockNumberFor<T> {
		<T::BlockNumberProvider as polkadot_sdk::sp_runtime::traits::BlockNumberProvider>::current_block_number()
	}

	/// The footprint a patient's deposit is priced by: the largest record it may grow to, plus
	/// its controller index entries, a pending controller invitation, and the `frame_system`
	/// account of every key it keeps alive (controllers, guardians and the invitee, see
	/// [`Pallet::keep_alive`]).
	pub fn patient_footprint() -> Footprint {
		let record = PatientOfConfig::<T>::max_encoded_len();
		let index = T::AccountId::max_encoded_len().saturating_add(PatientId::max_encoded_len());
		let invitation = PatientId::max_encoded_len()
			.saturating_add(ControllerInvitation::<T::AccountId>::max_encoded_len());
		let system_account = Self::system_account_size();
		let keys = T::MaxControllers::get()
			.saturating_add(T::MaxGuardians::get())
			.saturating_add(1);
		let recovery =
			PatientId::max_encoded_len().saturating_add(RecoveryConfigOf::<T>::max_encoded_len());
		let size = (T::MaxControllers::get() as usize)
			.saturating_mul(index)
			.saturating_add((keys as usize).saturating_mul(system_account))
			.saturating_add(record)
			.saturating_add(invitation)
			.saturating_add(recovery);
		Footprint::from_parts(1, size)
	}

	/// The footprint of a recovery under way: its entry, and the new key's `frame_system`
	/// account, which it keeps alive.
	pub fn recovery_footprint() -> Footprint {
		let size = PatientId::max_encoded_len()
			.saturating_add(ActiveRecoveryOf::<T>::max_encoded_len())
			.saturating_add(Self::system_account_size());
		Footprint::from_parts(1, size)
	}

	/// The size of one `frame_system` account entry (key and value), which an identity or a
	/// recovery keeps alive for each of its keys ([`Pallet::keep_alive`]).
	fn system_account_size() -> usize {
		T::AccountId::max_encoded_len()
			.saturating_add(frame_system::AccountInfo::<T::Nonce, T::AccountData>::max_encoded_len())
	}

	/// Keeps `who`'s `frame_system` account alive while it controls, guards or is invited to an
	/// identity (a sufficient reference), so that a key holding no balance has a nonce and can
	/// sign calls a sponsor submits (`CheckNonce` refuses accounts that do not exist). The
	/// identity's deposit pays for the account's storage.
	pub(crate) fn keep_alive(who: &T::AccountId) {
		let _ = frame_system::Pallet::<T>::inc_sufficients(who);
	}

	/// Releases what [`Pallet::keep_alive`] took: an account with no balance and no other
	/// reference is removed.
	pub(crate) fn release(who: &T::AccountId) {
		let _ = frame_system::Pallet::<T>::dec_sufficients(who);
	}

	/// What a patient's key signs to agree to be onboarded by `organisation`: a domain tag, this
	/// chain's genesis hash, the organisation, the key's account nonce and the expiry, SCALE
	/// encoded. Wallets that sign raw bytes wrap it in `<Bytes>…</Bytes>`; both are accepted.
	pub fn onboarding_payload(
		organisation: OrgId,
		controller: &T::AccountId,
		expires_at: BlockNumberFor<T>,
	) -> Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let nonce = frame_system::Pallet::<T>::account_nonce(controller);
		(b"ehr/onboard", genesis, organisation, nonce, expires_at).encode()
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
		let patient = Self::create_patient(&who, T::DepositPayer::payer(&who))?;
		Self::deposit_event(Event::PatientRegistered { patient, controller: who });
		Ok(())
	}

	/// Creates an identity controlled by `controller` with `depositor`'s deposit; fails
	/// without writing anything.
	fn create_patient(
		controller: &T::AccountId,
		depositor: T::AccountId,
	) -> Result<PatientId, DispatchError> {
		ensure!(!PatientOf::<T>::contains_key(controller), Error::<T>::AlreadyController);
		let patient = Self::next_patient_id(controller);
		ensure!(
			!Patients::<T>::contains_key(patient) && !ClosedPatients::<T>::contains_key(patient),
			Error::<T>::PatientIdTaken
		);
		let nonce = PatientNonce::<T>::get().saturating_add(1);
		let deposit = T::PatientDeposit::new(&depositor, Self::patient_footprint())?;
		let controllers = BoundedVec::truncate_from(alloc::vec![controller.clone()]);
		Patients::<T>::insert(
			patient,
			Patient {
				controllers,
				guardians: BoundedVec::new(),
				depositor,
				deposit,
				registered_at: Self::now(),
			},
		);
		PatientOf::<T>::insert(controller, patient);
		PatientNonce::<T>::put(nonce);
		Self::keep_alive(controller);
		Ok(patient)
	}

	pub(crate) fn do_onboard_patient(
		who: T::AccountId,
		organisation: OrgId,
		controller: T::AccountId,
		expires_at: BlockNumberFor<T>,
		proof: T::OnboardingSignature,
	) -> DispatchResult {
		let org = Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
		let member = org.admin.as_ref() == Some(&who)
			|| Providers::<T>::get(&who).is_some_and(|p| {
				p.organisation == organisation
					&& p.status == ProviderStatus::Active
					&& matches!(
						p.role,
						ProviderRole::OrganisationSystem | ProviderRole::Administrator
					)
			});
		ensure!(member, Error::<T>::NotOrganisationMember);
		ensure!(!org.suspended, Error::<T>::OrganisationSuspended);
		let now = Self::now();
		ensure!(expires_at > now, Error::<T>::OnboardingExpired);
		ensure!(
			expires_at <= now.saturating_add(T::MaxOnboardingValidity::get()),
			Error::<T>::OnboardingValidityTooLong
		);
		let payload = Self::onboarding_payload(organisation, &controller, expires_at);
		let signed = proof.verify(&payload[..], &controller) || {
			let wrapped = [b"<Bytes>".as_slice(), &payload[..], b"</Bytes>".as_slice()].concat();
			proof.verify(&wrapped[..], &controller)
		};
		ensure!(signed, Error::<T>::BadOnboardingProof);
		let depositor = T::DepositPayer::payer(&who);
		let patient = Self::create_patient(&controller, depositor.clone())?;
		// The agreement is spent: its nonce is the key's, which moves on.
		frame_system::Pallet::<T>::inc_account_nonce(&controller);
		AuditEvent::new(
			patient,
			AuditActor::Account(who),
			AuditAction::PatientOnboarded,
			AuditEntity::Agent(controller.clone()),
		)
		.organisation(Some(organisation))
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::PatientOnboarded {
			patient,
			controller,
			organisation,
			depositor,
		});
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
		let previous = ControllerInvitations::<T>::get(patient);
		ControllerInvitations::<T>::insert(
			patient,
			ControllerInvitation {
				invitee: invitee.clone(),
				invited_by: who,
				replaces: replaces.clone(),
			},
		);
		Self::keep_alive(&invitee);
		if let Some(previous) = previous {
			Self::release(&previous.invitee);
		}
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
		// A guardian who becomes a controller is no longer listed as a guardian. (The reference
		// the invitation took on the account stays, as the controller's.)
		let was_guardian = record.guardians.iter().any(|g| g.account == who);
		record.guardians.retain(|g| g.account != who);
		if was_guardian {
			Self::release(&who);
		}
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
				Self::release(&old);
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
		Self::release(&controller);
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
		ensure!(
			until.is_none_or(|end| {
				let grid = T::GuardianTermGranularity::get();
				end.checked_div(&grid).map(|whole| whole.saturating_mul(grid)) == Some(end)
			}),
			Error::<T>::GuardianTermNotCoarse
		);
		record
			.guardians
			.try_push(Guardian { account: guardian.clone(), until })
			.map_err(|_| Error::<T>::TooManyGuardians)?;
		Patients::<T>::insert(patient, record);
		Self::keep_alive(&guardian);
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
		Self::release(&guardian);
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
			Self::release(controller);
		}
		for guardian in &record.guardians {
			Self::release(&guardian.account);
		}
		if let Some(invitation) = ControllerInvitations::<T>::take(patient) {
			Self::release(&invitation.invitee);
		}
		RecoveryConfigs::<T>::remove(patient);
		if let Some(recovery) = ActiveRecoveries::<T>::take(patient) {
			recovery.deposit.drop(&recovery.depositor)?;
			Self::release(&recovery.new_controller);
		}
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

/// Recovery of an identity whose keys are lost.
impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_recovery(
		who: T::AccountId,
		friends: BoundedVec<T::AccountId, T::MaxRecoveryFriends>,
		threshold: u32,
		delay: BlockNumberFor<T>,
	) -> DispatchResult {
		let (patient, _) = Self::controlled(&who)?;
		let distinct = friends
			.iter()
			.enumerate()
			.all(|(i, f)| !friends.iter().skip(i.saturating_add(1)).any(|g| g == f));
		ensure!(
			distinct
				&& threshold >= 1
				&& threshold as usize <= friends.len()
				&& delay >= T::MinRecoveryDelay::get(),
			Error::<T>::InvalidRecoveryConfig
		);
		let count = friends.len() as u32;
		RecoveryConfigs::<T>::insert(patient, RecoveryConfig { friends, threshold, delay });
		AuditEvent::new(
			patient,
			AuditActor::Account(who),
			AuditAction::RecoveryConfigured,
			AuditEntity::Patient,
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::RecoveryConfigured {
			patient,
			threshold,
			friends: count,
			delay,
		});
		Ok(())
	}

	pub(crate) fn do_remove_recovery(who: T::AccountId) -> DispatchResult {
		let (patient, _) = Self::controlled(&who)?;
		ensure!(RecoveryConfigs::<T>::contains_key(patient), Error::<T>::RecoveryNotConfigured);
		if ActiveRecoveries::<T>::contains_key(patient) {
			Self::do_cancel_recovery(who.clone())?;
		}
		RecoveryConfigs::<T>::remove(patient);
		AuditEvent::new(
			patient,
			AuditActor::Account(who),
			AuditAction::RecoveryConfigured,
			AuditEntity::Patient,
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::RecoveryConfigRemoved { patient });
		Ok(())
	}

	pub(crate) fn do_initiate_recovery(
		who: T::AccountId,
		patient: PatientId,
		new_controller: T::AccountId,
	) -> DispatchResult {
		ensure!(Patients::<T>::contains_key(patient), Error::<T>::PatientNotFound);
		let config = RecoveryConfigs::<T>::get(patient).ok_or(Error::<T>::RecoveryNotConfigured)?;
		ensure!(config.friends.contains(&who), Error::<T>::NotRecoveryFriend);
		ensure!(!ActiveRecoveries::<T>::contains_key(patient), Error::<T>::RecoveryInProgress);
		ensure!(!PatientOf::<T>::contains_key(&new_controller), Error::<T>::AlreadyController);
		let depositor = T::DepositPayer::payer(&who);
		let deposit = T::RecoveryDeposit::new(&depositor, Self::recovery_footprint())?;
		ActiveRecoveries::<T>::insert(
			patient,
			ActiveRecovery {
				new_controller: new_controller.clone(),
				started_at: Self::now(),
				approvals: BoundedVec::truncate_from(alloc::vec![who.clone()]),
				depositor,
				deposit,
			},
		);
		Self::keep_alive(&new_controller);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::RecoveryInitiated,
			AuditEntity::Agent(new_controller.clone()),
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::RecoveryInitiated { patient, initiator: who, new_controller });
		Ok(())
	}

	pub(crate) fn do_approve_recovery(who: T::AccountId, patient: PatientId) -> DispatchResult {
		let mut recovery =
			ActiveRecoveries::<T>::get(patient).ok_or(Error::<T>::NoActiveRecovery)?;
		let config = RecoveryConfigs::<T>::get(patient).ok_or(Error::<T>::RecoveryNotConfigured)?;
		ensure!(config.friends.contains(&who), Error::<T>::NotRecoveryFriend);
		ensure!(!recovery.approvals.contains(&who), Error::<T>::AlreadyApproved);
		// At most one approval per friend, and the friends are at most `MaxRecoveryFriends`;
		// a friend removed from a replaced configuration may still be listed, hence the error.
		recovery
			.approvals
			.try_push(who.clone())
			.map_err(|_| Error::<T>::AlreadyApproved)?;
		ActiveRecoveries::<T>::insert(patient, recovery);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::RecoveryApproved,
			AuditEntity::Patient,
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::RecoveryApproved { patient, friend: who });
		Ok(())
	}

	pub(crate) fn do_cancel_recovery(who: T::AccountId) -> DispatchResult {
		let (patient, _) = Self::controlled(&who)?;
		let recovery = ActiveRecoveries::<T>::get(patient).ok_or(Error::<T>::NoActiveRecovery)?;
		recovery.deposit.drop(&recovery.depositor)?;
		ActiveRecoveries::<T>::remove(patient);
		Self::release(&recovery.new_controller);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::RecoveryCancelled,
			AuditEntity::Agent(recovery.new_controller),
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::RecoveryCancelled { patient, by: who });
		Ok(())
	}

	pub(crate) fn do_claim_recovery(who: T::AccountId, patient: PatientId) -> DispatchResult {
		let recovery = ActiveRecoveries::<T>::get(patient).ok_or(Error::<T>::NoActiveRecovery)?;
		ensure!(recovery.new_controller == who, Error::<T>::NotRecoveryTarget);
		let config = RecoveryConfigs::<T>::get(patient).ok_or(Error::<T>::RecoveryNotConfigured)?;
		let approved =
			recovery.approvals.iter().filter(|a| config.friends.contains(a)).count() as u32;
		ensure!(approved >= config.threshold, Error::<T>::RecoveryThresholdNotMet);
		ensure!(
			Self::now() >= recovery.started_at.saturating_add(config.delay),
			Error::<T>::RecoveryDelayNotOver
		);
		ensure!(!PatientOf::<T>::contains_key(&who), Error::<T>::AlreadyController);
		let mut record = Patients::<T>::get(patient).ok_or(Error::<T>::NoActiveRecovery)?;
		recovery.deposit.drop(&recovery.depositor)?;
		let former = core::mem::replace(
			&mut record.controllers,
			BoundedVec::truncate_from(alloc::vec![who.clone()]),
		);
		// A guardian that becomes the controller is no longer listed as a guardian.
		let was_guardian = record.guardians.iter().any(|g| g.account == who);
		record.guardians.retain(|g| g.account != who);
		Patients::<T>::insert(patient, record);
		for key in &former {
			PatientOf::<T>::remove(key);
			Self::release(key);
		}
		if was_guardian {
			Self::release(&who);
		}
		if let Some(invitation) = ControllerInvitations::<T>::take(patient) {
			Self::release(&invitation.invitee);
		}
		ActiveRecoveries::<T>::remove(patient);
		// The reference the recovery took on the new key stays, as the controller's.
		PatientOf::<T>::insert(&who, patient);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::Recovered,
			AuditEntity::Agent(who.clone()),
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::PatientRecovered { patient, new_controller: who });
		Ok(())
	}
}
