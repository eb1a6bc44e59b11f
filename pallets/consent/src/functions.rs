//! The calls' logic and the storage invariants.
//!
//! Every `do_*` function checks everything first and writes last, so a failing call changes
//! nothing.

use crate::{pallet::*, types::*, Scope};
use ehr_primitives::{
	ActForError, AuditAction, AuditActor, AuditEntity, AuditEvent, AuditOutcome, AuditSink,
	ConsentId, Grantee, OrgId, PatientId, PatientRegistry, PatientStatus, ProviderRegistry,
	PurposeOfUse,
};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::Consideration},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::Saturating,
};

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Fails unless `who` may act for `patient` now, as a controller or a guardian in term.
	pub(crate) fn ensure_patient_agent(who: &T::AccountId, patient: &PatientId) -> DispatchResult {
		T::Patients::agent(who, patient).map(|_| ()).map_err(|e| {
			match e {
				ActForError::UnknownPatient => Error::<T>::PatientNotFound,
				ActForError::PatientClosed => Error::<T>::PatientClosed,
				ActForError::NotAuthorized => Error::<T>::NotAuthorized,
			}
			.into()
		})
	}

	fn audit(
		patient: PatientId,
		actor: AuditActor<T::AccountId>,
		organisation: Option<OrgId>,
		action: AuditAction,
		entity: AuditEntity<T::AccountId, BlockNumberFor<T>>,
		purpose: Option<PurposeOfUse>,
	) {
		T::AuditSink::append(AuditEvent {
			patient,
			actor,
			organisation,
			action,
			entity,
			purpose,
			outcome: AuditOutcome::Success,
		});
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
		ensure!(scope.categories.is_valid_non_empty(), Error::<T>::InvalidCategories);
		ensure!(scope.actions.is_valid_non_empty(), Error::<T>::InvalidActions);
		ensure!(scope.purposes.is_valid_non_empty(), Error::<T>::InvalidPurposes);
		let now = Self::now();
		ensure!(
			valid_until.is_none_or(|until| until >= valid_from && until >= now),
			Error::<T>::InvalidPeriod
		);
		let known = match &grantee {
			Grantee::Provider(account) => T::Providers::active_provider(account).is_some(),
			Grantee::Organisation(org) => T::Providers::organisation_exists(*org),
		};
		ensure!(known, Error::<T>::UnknownGrantee);
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
				valid_from,
				valid_until,
				revoked_at: None,
				granted_at: now,
			})
			.map_err(|_| Error::<T>::TooManyGrantsForGrantee)?;

		let deposit = T::ConsentDeposit::new(&who, Self::consent_footprint())?;
		let consent = Consent {
			patient,
			grantee: grantee.clone(),
			categories: scope.categories,
			actions: scope.actions,
			purposes: scope.purposes,
			valid_from,
			valid_until,
			granted_by: who.clone(),
			granted_at: now,
			revoked_at: None,
			deposit,
		};
		Consents::<T>::insert(consent_id, consent);
		ConsentsByGrantee::<T>::insert(patient, &grantee, index);
		ConsentCount::<T>::insert(patient, count.saturating_add(1));
		NextConsentId::<T>::put(next);
		Self::audit(
			patient,
			AuditActor::Account(who.clone()),
			None,
			AuditAction::ConsentGranted,
			AuditEntity::Consent(consent_id),
			None,
		);
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
		Self::audit(
			patient,
			AuditActor::Account(who.clone()),
			None,
			AuditAction::ConsentRevoked,
			AuditEntity::Consent(consent_id),
			None,
		);
		Self::deposit_event(Event::ConsentRevoked { consent_id, patient, revoked_by: who });
		Ok(())
	}

	pub(crate) fn do_take_over_deposit(who: T::AccountId, consent_id: ConsentId) -> DispatchResult {
		let mut consent = Consents::<T>::get(consent_id).ok_or(Error::<T>::ConsentNotFound)?;
		Self::ensure_patient_agent(&who, &consent.patient)?;
		ensure!(consent.granted_by != who, Error::<T>::AlreadyDepositor);
		ensure!(!consent.ended_by(Self::now()), Error::<T>::ConsentEnded);
		let deposit = T::ConsentDeposit::new(&who, Self::consent_footprint())?;
		let previous = core::mem::replace(&mut consent.deposit, deposit);
		previous.drop(&consent.granted_by)?;
		let from = core::mem::replace(&mut consent.granted_by, who.clone());
		Consents::<T>::insert(consent_id, consent);
		Self::deposit_event(Event::ConsentDepositTakenOver { consent_id, from, to: who });
		Ok(())
	}

	pub(crate) fn do_reap(who: T::AccountId, consent_id: ConsentId) -> DispatchResult {
		let consent = Consents::<T>::get(consent_id).ok_or(Error::<T>::ConsentNotFound)?;
		let patient = consent.patient;
		let patient_open = matches!(T::Patients::status(&patient), Some(PatientStatus::Active));
		ensure!(!patient_open || consent.ended_by(Self::now()), Error::<T>::NotEnded);

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
		Self::audit(
			patient,
			AuditActor::Account(who),
			None,
			AuditAction::ConsentReaped,
			AuditEntity::Consent(consent_id),
			None,
		);
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
		Self::audit(
			patient,
			AuditActor::Account(who.clone()),
			Some(provider.organisation),
			AuditAction::EmergencyAccessOpened,
			AuditEntity::Emergency { provider: who.clone(), opened_at: now },
			Some(PurposeOfUse::EmergencyTreatment),
		);
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
		Self::audit(
			patient,
			closer.clone().map_or(AuditActor::Governance, AuditActor::Account),
			(closer.as_ref() == Some(&provider)).then_some(organisation),
			AuditAction::EmergencyAccessClosed,
			AuditEntity::Emergency { provider: provider.clone(), opened_at },
			Some(PurposeOfUse::EmergencyTreatment),
		);
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

	/// Checks the storage invariants:
	/// - every grant is listed exactly once in [`ConsentsByGrantee`] under its patient and
	///   grantee, and every index entry points at such a grant;
	/// - [`ConsentCount`] is each patient's number of grants, within the bound;
	/// - every grant's patient exists (open or closed) and its id is below [`NextConsentId`];
	/// - no index list is empty;
	/// - the deposits held under [`HoldReason::ConsentDeposit`] and
	///   [`HoldReason::EmergencyDeposit`] match the stored grants and windows.
	#[cfg(any(feature = "try-runtime", feature = "std"))]
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use polkadot_sdk::frame_support::traits::fungible::InspectHold;

		let next = NextConsentId::<T>::get();
		let mut per_patient: BTreeMap<PatientId, u32> = BTreeMap::new();
		let mut per_depositor: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (id, consent) in Consents::<T>::iter() {
			ensure!(id.0 < next, "consent id not below NextConsentId");
			ensure!(T::Patients::status(&consent.patient).is_some(), "grant of an unknown patient");
			let listed = ConsentsByGrantee::<T>::get(consent.patient, &consent.grantee);
			ensure!(
				listed.iter().filter(|listed| listed.id == id).count() == 1,
				"grant not indexed exactly once"
			);
			ensure!(
				listed.iter().any(|listed| *listed == consent.terms(id)),
				"index terms differ from the grant"
			);
			ehr_primitives::tally(&mut per_patient, consent.patient);
			ehr_primitives::tally(&mut per_depositor, consent.granted_by.clone());
		}
		for (patient, grantee, ids) in ConsentsByGrantee::<T>::iter() {
			ensure!(!ids.is_empty(), "empty index entry");
			for terms in ids {
				let consent = Consents::<T>::get(terms.id).ok_or("index points at no grant")?;
				ensure!(
					consent.patient == patient && consent.grantee == grantee,
					"index entry under the wrong key"
				);
			}
		}
		let counted: BTreeMap<PatientId, u32> = ConsentCount::<T>::iter().collect();
		ensure!(counted == per_patient, "ConsentCount does not match the grants");
		ensure!(
			counted.values().all(|count| *count <= T::MaxConsentsPerPatient::get()),
			"a patient holds more grants than allowed"
		);
		let reason = T::RuntimeHoldReason::from(HoldReason::ConsentDeposit);
		ehr_primitives::check_uniform_deposits(per_depositor, |who| {
			T::Currency::balance_on_hold(&reason, who)
		})?;

		let mut per_provider: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (_, provider, window) in EmergencyAccess::<T>::iter() {
			ensure!(window.opened_at < window.expires_at, "emergency window ends before it opens");
			ehr_primitives::tally(&mut per_provider, provider);
		}
		let reason = T::RuntimeHoldReason::from(HoldReason::EmergencyDeposit);
		ehr_primitives::check_uniform_deposits(per_provider, |who| {
			T::Currency::balance_on_hold(&reason, who)
		})?;
		Ok(())
	}
}
