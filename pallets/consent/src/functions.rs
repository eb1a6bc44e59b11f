//! The calls' logic and the storage invariants.
//!
//! Every `do_*` function checks everything first and writes last, so a failing call changes
//! nothing.

use crate::{pallet::*, types::*, Scope};
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
	pub(crate) fn consent_ended(consent: &ConsentOf<T>, now: BlockNumberFor<T>) -> bool {
		consent.ended_by(now) || Self::grantee_left(&consent.grantee, consent.granted_at)
	}

	/// Fails unless `who` may act for `patient` now, as a controller or a guardian in term, with
	/// the patient registry's own error (the identity pallet's in a runtime).
	pub(crate) fn ensure_patient_agent(who: &T::AccountId, patient: &PatientId) -> DispatchResult {
		T::Patients::ensure_agent(who, patient).map(|_| ())
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
		let count = ConsentCount::<T>::get(patient);
		ensure!(count < T::MaxConsentsPerPatient::get(), Error::<T>::TooManyConsents);
		let mut index = ConsentsByGrantee::<T>::get(patient, &grantee);
		let id = NextConsentId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::ConsentIdsExhausted)?;
		let consent_id = ConsentId(id);
		index
			.try_push(GrantTerms {
				id: consent_id,
				categories: scope.categories,
				actions: scope.actions,
				purposes: scope.purposes,
				roles: scope.roles,
				valid_from,
				valid_until,
				revoked_at: None,
				granted_at: now,
			})
			.map_err(|_| Error::<T>::TooManyGrantsForGrantee)?;

		let depositor = T::DepositPayer::payer(&who);
		let deposit = T::ConsentDeposit::new(&depositor, Self::consent_footprint())?;
		let consent = Consent {
			patient,
			grantee: grantee.clone(),
			categories: scope.categories,
			actions: scope.actions,
			purposes: scope.purposes,
			roles: scope.roles,
			valid_from,
			valid_until,
			granted_by: depositor,
			granted_at: now,
			revoked_at: None,
			deposit,
		};
		Consents::<T>::insert(consent_id, consent);
		ConsentsByGrantee::<T>::insert(patient, &grantee, index);
		ConsentCount::<T>::insert(patient, count.saturating_add(1));
		NextConsentId::<T>::put(next);
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

	pub(crate) fn do_revoke(who: T::AccountId, consent_id: ConsentId) -> DispatchResult {
		let mut consent = Consents::<T>::get(consent_id).ok_or(Error::<T>::ConsentNotFound)?;
		let patient = consent.patient;
		Self::ensure_patient_agent(&who, &patient)?;
		ensure!(consent.revoked_at.is_none(), Error::<T>::AlreadyRevoked);
		let now = Self::now();
		let mut index = ConsentsByGrantee::<T>::get(patient, &consent.grantee);
		let terms = index
			.iter_mut()
			.find(|terms| terms.id == consent_id)
			.ok_or(Error::<T>::ConsentNotFound)?;
		terms.revoked_at = Some(now);
		consent.revoked_at = Some(now);
		ConsentsByGrantee::<T>::insert(patient, &consent.grantee, index);
		Consents::<T>::insert(consent_id, consent);
		AuditEvent::new(
			patient,
			AuditActor::Account(who.clone()),
			AuditAction::ConsentRevoked,
			AuditEntity::Consent(consent_id),
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::ConsentRevoked { consent_id, patient, revoked_by: who });
		Ok(())
	}

	pub(crate) fn do_take_over_deposit(who: T::AccountId, consent_id: ConsentId) -> DispatchResult {
		let mut consent = Consents::<T>::get(consent_id).ok_or(Error::<T>::ConsentNotFound)?;
		Self::ensure_patient_agent(&who, &consent.patient)?;
		let payer = T::DepositPayer::payer(&who);
		ensure!(consent.granted_by != payer, Error::<T>::AlreadyDepositor);
		ensure!(!Self::consent_ended(&consent, Self::now()), Error::<T>::ConsentEnded);
		let deposit = T::ConsentDeposit::new(&payer, Self::consent_footprint())?;
		let previous = core::mem::replace(&mut consent.deposit, deposit);
		previous.drop(&consent.granted_by)?;
		let from = core::mem::replace(&mut consent.granted_by, payer.clone());
		Consents::<T>::insert(consent_id, consent);
		Self::deposit_event(Event::ConsentDepositTakenOver { consent_id, from, to: payer });
		Ok(())
	}

	pub(crate) fn do_reap(who: T::AccountId, consent_id: ConsentId) -> DispatchResult {
		let consent = Consents::<T>::get(consent_id).ok_or(Error::<T>::ConsentNotFound)?;
		let patient = consent.patient;
		let patient_open = matches!(T::Patients::status(&patient), Some(PatientStatus::Active));
		ensure!(!patient_open || Self::consent_ended(&consent, Self::now()), Error::<T>::NotEnded);

		consent.deposit.drop(&consent.granted_by)?;
		ConsentsByGrantee::<T>::mutate_exists(patient, &consent.grantee, |index| {
			if let Some(ids) = index {
				ids.retain(|terms| terms.id != consent_id);
				if ids.is_empty() {
					*index = None;
				}
			}
		});
		ConsentCount::<T>::mutate_exists(patient, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
		});
		Consents::<T>::remove(consent_id);
		AuditEvent::new(
			patient,
			AuditActor::Account(who),
			AuditAction::ConsentReaped,
			AuditEntity::Consent(consent_id),
		)
		.append_to::<T::AuditSink>();
		Self::deposit_event(Event::ConsentReaped { consent_id, patient });
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
