//! The reads other pallets make through the registry traits: a patient's status and who may act
//! for it, a provider's accreditation, an organisation's existence.

use crate::{pallet::*, types::*};
use ehr_primitives::{
	Accreditation, ActForError, OrgId, PatientAgent, PatientId, PatientRegistry, PatientStatus,
	ProviderInfo, ProviderRegistry,
};
use polkadot_sdk::{
	frame_support::pallet_prelude::*, frame_system::pallet_prelude::BlockNumberFor,
};

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
		let now = Self::now();
		if record.guardians.iter().any(|g| g.account == *who && g.in_term(&now)) {
			Ok(PatientAgent::Guardian)
		} else {
			Err(ActForError::NotAuthorized)
		}
	}

	fn agent_error(error: ActForError) -> DispatchError {
		match error {
			ActForError::UnknownPatient => Error::<T>::PatientNotFound,
			ActForError::PatientClosed => Error::<T>::PatientClosed,
			ActForError::NotAuthorized => Error::<T>::NotAuthorized,
		}
		.into()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(controller: &T::AccountId) -> PatientId {
		use polkadot_sdk::frame_support::traits::Consideration;
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

impl<T: Config> ProviderRegistry<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn accreditation(who: &T::AccountId) -> Option<Accreditation<BlockNumberFor<T>>> {
		let provider = Providers::<T>::get(who)?;
		let organisation_in_force =
			Organisations::<T>::get(provider.organisation).is_some_and(|org| !org.suspended);
		Some(Accreditation {
			info: ProviderInfo { organisation: provider.organisation, role: provider.role },
			active: provider.status == ProviderStatus::Active && organisation_in_force,
			since: provider.accredited_at,
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
		let role = ehr_primitives::ProviderRole::Physician;
		let _ = Self::do_accredit_provider(who.clone(), organisation, role, true);
		ProviderInfo { organisation, role }
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn reaccredit_for_benchmark(who: &T::AccountId, _at: BlockNumberFor<T>) {
		// `do_accredit_provider` stamps the accreditation with this pallet's clock, which is the
		// caller's (`at`) in a runtime.
		if let Some(provider) = Providers::<T>::get(who) {
			let _ = Self::do_revoke_provider(who.clone());
			let _ =
				Self::do_accredit_provider(who.clone(), provider.organisation, provider.role, true);
		}
	}
}
