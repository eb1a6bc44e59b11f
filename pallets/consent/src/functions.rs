//! The calls' logic and the storage invariants.
//!
//! Every `do_*` function checks everything first and writes last, so a failing call changes
//! nothing.

use crate::{pallet::*, types::*, Scope};
use alloc::vec::Vec;
use codec::Encode;
use ehr_primitives::{
	AuditAction, AuditActor, AuditEntity, AuditEvent, ConsentId, DepositPayer, Grantee, PatientId,
	PatientRegistry, PatientStatus, ProviderRegistry, PurposeOfUse,
};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::Consideration},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{traits::BlockNumberProvider, Saturating},
};

impl<T: Config> Pallet<T> {
	/// The current block of [`Config::BlockNumberProvider`]: the relay chain's in a runtime.
	pub(crate) fn now() -> BlockNumberFor<T> {
		T::BlockNumberProvider::current_block_number()
	}

	/// Whether a grant to one provider is over because the provider left the organisation it
	/// was accredited in when the grant was made: its accreditation is gone, or it was
	/// accredited again (in any organisation or role) after the grant (finding 16). Grants to
	/// an organisation follow the organisation's members and never end this way.
	pub(crate) fn grantee_left(grantee: &GranteeOf<T>, granted_at: BlockNumberFor<T>) -> bool {
		match grantee {
			Grantee::Provider(account) => {
				T::Providers::accreditation(account).is_none_or(|a| a.since > granted_at)
			},
			Grantee::Organisation(_) => false,
		}
	}

	/// Whether a grant can never permit anything again after block `now`: revoked, its period
	/// over, or its provider gone from the organisation.
	pub(crate) fn consent_ended(
		grantee: &GranteeOf<T>,
		consent: &ConsentOf<T>,
		now: BlockNumberFor<T>,
	) -> bool {
		consent.ended_by(now) || Self::grantee_left(grantee, consent.terms.granted_at)
	}

	/// Fails unless `who` may act for `patient` now, as a controller or a guardian in term, with
	/// the patient registry's own error (the identity pallet's in a runtime).
	pub(crate) fn ensure_patient_agent(who: &T::AccountId, patient: &PatientId) -> DispatchResult {
		T::Patients::ensure_agent(who, patient).map(|_| ())
	}

	/// The id of a grant of `patient` to `grantee` made in block `granted_at`, with `nonce`:
	/// the first eight bytes, little-endian, of
	/// `BLAKE2b-256("ehr/consent-id/v1" ‖ SCALE(patient, grantee, granted_at, nonce))`. A grant
	/// gets the smallest nonce whose id none of the patient's grants to the grantee has, so ids
	/// are unique under their key; the grantee in the hash keeps them apart across grantees
	/// (but for a 2^-64 chance), so one id names one grant in the patient's audit trail.
	pub fn consent_id(
		patient: PatientId,
		grantee: &GranteeOf<T>,
		granted_at: BlockNumberFor<T>,
		nonce: u32,
	) -> ConsentId {
		let hash = polkadot_sdk::sp_io::hashing::blake2_256(
			&(b"ehr/consent-id/v1", patient, grantee, granted_at, nonce).encode(),
		);
		let mut first = [0u8; 8];
		first.copy_from_slice(hash.split_at(8).0);
		ConsentId(u64::from_le_bytes(first))
	}

	pub(crate) fn do_grant(
		who: T::AccountId,
		patient: PatientId,
		grantee: GranteeOf<T>,
		scope: Scope,
		valid_from: BlockNumberFor<T>,
		valid_until: Option<BlockNumberFor<T>>,
	) -> DispatchResult {
		Self::ensure_patient_agent(&who, &patient)?;
		ensure!(scope.categories.is_valid(), Error::<T>::InvalidCategories);
		ensure!(scope.actions.is_valid_non_empty(), Error::<T>::InvalidActions);
		ensure!(scope.purposes.is_valid_non_empty(), Error::<T>::InvalidPurposes);
		ensure!(scope.roles.is_valid_non_empty(), Error::<T>::InvalidRoles);
		let now = Self::now();
		ensure!(
			valid_until.is_none_or(|until| until >= valid_from && until >= now),
			Error::<T>::InvalidPeriod
		);
		match &grantee {
			Grantee::Provider(account) => {
				let provider =
					T::Providers::active_provider(account).ok_or(Error::<T>::UnknownGrantee)?;
				ensure!(scope.roles.contains(provider.role), Error::<T>::RoleNotAdmitted);
			},
			Grantee::Organisation(org) => {
				ensure!(T::Providers::organisation_exists(*org), Error::<T>::UnknownGrantee)
			},
		}
		let mut grants = Grants::<T>::get(patient, &grantee);
		ensure!(
			(grants.len() as u64) < u64::from(T::MaxGrantsPerGrantee::get()),
			Error::<T>::TooManyGrantsForGrantee
		);
		// Fewer than `MaxGrantsPerGrantee` ids are taken, so one of the first
		// `MaxGrantsPerGrantee` nonces is free.
		let consent_id = (0..T::MaxGrantsPerGrantee::get())
			.map(|nonce| Self::consent_id(patient, &grantee, now, nonce))
			.find(|id| !grants.iter().any(|grant| grant.id() == *id))
			.ok_or(Error::<T>::TooManyGrantsForGrantee)?;

		let depositor = T::DepositPayer::payer(&who);
		let deposit = T::ConsentDeposit::new(&depositor, Self::consent_footprint())?;
		grants
			.try_push(Consent {
				terms: GrantTerms {
					id: consent_id,
					categories: scope.categories,
					actions: scope.actions,
					purposes: scope.purposes,
					roles: scope.roles,
					valid_from,
					valid_until,
					revoked_at: None,
					granted_at: now,
				},
				granted_by: depositor,
				deposit,
			})
			.map_err(|_| Error::<T>::TooManyGrantsForGrantee)?;
		Grants::<T>::insert(patient, &grantee, grants);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::ConsentGranted,
			AuditEntity::Consent(consent_id),
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::ConsentGranted {
			consent_id,
			patient,
			grantee,
			granted_by: who,
		});
		Ok(())
	}

	/// The grant `consent_id` of a grantee's list, to change in place.
	fn find_grant(
		grants: &mut BoundedVec<ConsentOf<T>, T::MaxGrantsPerGrantee>,
		consent_id: ConsentId,
	) -> Result<&mut ConsentOf<T>, Error<T>> {
		grants
			.iter_mut()
			.find(|grant| grant.id() == consent_id)
			.ok_or(Error::<T>::ConsentNotFound)
	}

	pub(crate) fn do_revoke(
		who: T::AccountId,
		patient: PatientId,
		grantee: GranteeOf<T>,
		consent_id: ConsentId,
	) -> DispatchResult {
		Self::ensure_patient_agent(&who, &patient)?;
		let mut grants = Grants::<T>::get(patient, &grantee);
		let consent = Self::find_grant(&mut grants, consent_id)?;
		ensure!(consent.terms.revoked_at.is_none(), Error::<T>::AlreadyRevoked);
		consent.terms.revoked_at = Some(Self::now());
		Grants::<T>::insert(patient, &grantee, grants);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::ConsentRevoked,
			AuditEntity::Consent(consent_id),
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::ConsentRevoked {
			consent_id,
			patient,
			grantee,
			revoked_by: who,
		});
		Ok(())
	}

	pub(crate) fn do_take_over_deposit(
		who: T::AccountId,
		patient: PatientId,
		grantee: GranteeOf<T>,
		consent_id: ConsentId,
	) -> DispatchResult {
		Self::ensure_patient_agent(&who, &patient)?;
		let mut grants = Grants::<T>::get(patient, &grantee);
		let now = Self::now();
		let consent = Self::find_grant(&mut grants, consent_id)?;
		let payer = T::DepositPayer::payer(&who);
		ensure!(consent.granted_by != payer, Error::<T>::AlreadyDepositor);
		ensure!(!Self::consent_ended(&grantee, consent, now), Error::<T>::ConsentEnded);
		let deposit = T::ConsentDeposit::new(&payer, Self::consent_footprint())?;
		let previous = core::mem::replace(&mut consent.deposit, deposit);
		previous.drop(&consent.granted_by)?;
		let from = core::mem::replace(&mut consent.granted_by, payer.clone());
		Grants::<T>::insert(patient, &grantee, grants);
		Self::deposit_event(Event::ConsentDepositTakenOver {
			consent_id,
			patient,
			grantee,
			from,
			to: payer,
		});
		Ok(())
	}

	pub(crate) fn do_reap(
		who: T::AccountId,
		patient: PatientId,
		grantee: GranteeOf<T>,
		consent_id: ConsentId,
	) -> DispatchResult {
		let (reaped, kept): (Vec<_>, Vec<_>) = Grants::<T>::get(patient, &grantee)
			.into_iter()
			.partition(|grant| grant.id() == consent_id);
		let consent = reaped.into_iter().next().ok_or(Error::<T>::ConsentNotFound)?;
		let patient_open = matches!(T::Patients::status(&patient), Some(PatientStatus::Active));
		ensure!(
			!patient_open || Self::consent_ended(&grantee, &consent, Self::now()),
			Error::<T>::NotEnded
		);

		consent.deposit.drop(&consent.granted_by)?;
		if kept.is_empty() {
			Grants::<T>::remove(patient, &grantee);
		} else {
			// One fewer than was stored: within the bound.
			Grants::<T>::insert(patient, &grantee, BoundedVec::truncate_from(kept));
		}
		AuditEvent::new(
			patient,
			AuditActor::Account(who),
			AuditAction::ConsentReaped,
			AuditEntity::Consent(consent_id),
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::ConsentReaped { consent_id, patient, grantee });
		Ok(())
	}

	pub(crate) fn do_open_emergency(
		who: T::AccountId,
		patient: PatientId,
		justification: [u8; 32],
	) -> DispatchResult {
		let provider = T::Providers::active_provider(&who).ok_or(Error::<T>::NotAccredited)?;
		ensure!(justification != [0u8; 32], Error::<T>::InvalidJustification);
		match T::Patients::status(&patient) {
			Some(PatientStatus::Active) => {},
			Some(PatientStatus::Closed { .. }) => return Err(Error::<T>::PatientClosed.into()),
			None => return Err(Error::<T>::PatientNotFound.into()),
		}
		let now = Self::now();
		let previous = EmergencyAccess::<T>::get(patient, &who);
		ensure!(
			previous.as_ref().is_none_or(|window| window.ended_by(now)),
			Error::<T>::EmergencyAlreadyOpen
		);
		// The openings of the last `EmergencyRatePeriod` blocks, this one included (finding 10:
		// a fixed period let twice the limit through across its edge).
		let mut rate = EmergencyRates::<T>::get(&who);
		rate.retain(|opened| now < opened.saturating_add(T::EmergencyRatePeriod::get()));
		rate.try_push(now).map_err(|_| Error::<T>::EmergencyRateLimited)?;

		// An ended window of this provider is replaced: its deposit is released first.
		if let Some(window) = previous {
			window.deposit.drop(&who)?;
		}
		let deposit = T::EmergencyDeposit::new(&who, Self::emergency_footprint())?;
		let expires_at = now.saturating_add(T::EmergencyDuration::get());
		EmergencyAccess::<T>::insert(
			patient,
			&who,
			EmergencyWindow {
				organisation: provider.organisation,
				opened_at: now,
				expires_at,
				justification,
				closed_at: None,
				deposit,
			},
		);
		EmergencyRates::<T>::insert(&who, rate);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::EmergencyAccessOpened,
			AuditEntity::Emergency { provider: who.clone(), opened_at: now },
		)
		.organisation(Some(provider.organisation))
		.purpose(Some(PurposeOfUse::EmergencyTreatment))
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::EmergencyAccessOpened {
			patient,
			provider: who,
			organisation: provider.organisation,
			expires_at,
			justification,
		});
		Ok(())
	}

	pub(crate) fn do_close_emergency(
		closer: Option<T::AccountId>,
		patient: PatientId,
		provider: T::AccountId,
	) -> DispatchResult {
		if let Some(who) = &closer {
			if *who != provider {
				Self::ensure_patient_agent(who, &patient)?;
			}
		}
		let mut window =
			EmergencyAccess::<T>::get(patient, &provider).ok_or(Error::<T>::EmergencyNotFound)?;
		let now = Self::now();
		ensure!(!window.ended_by(now), Error::<T>::EmergencyNotOpen);
		window.closed_at = Some(now);
		let opened_at = window.opened_at;
		let organisation = window.organisation;
		EmergencyAccess::<T>::insert(patient, &provider, window);
		AuditEvent::new(
			patient,
			closer.clone().map_or(AuditActor::Governance, AuditActor::Account),
			AuditAction::EmergencyAccessClosed,
			AuditEntity::Emergency { provider: provider.clone(), opened_at },
		)
		.organisation((closer.as_ref() == Some(&provider)).then_some(organisation))
		.purpose(Some(PurposeOfUse::EmergencyTreatment))
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::EmergencyAccessClosed { patient, provider, closed_by: closer });
		Ok(())
	}

	pub(crate) fn do_reap_emergency(patient: PatientId, provider: T::AccountId) -> DispatchResult {
		let window =
			EmergencyAccess::<T>::get(patient, &provider).ok_or(Error::<T>::EmergencyNotFound)?;
		ensure!(window.ended_by(Self::now()), Error::<T>::NotEnded);
		window.deposit.drop(&provider)?;
		EmergencyAccess::<T>::remove(patient, &provider);
		Self::deposit_event(Event::EmergencyAccessReaped { patient, provider });
		Ok(())
	}
}
