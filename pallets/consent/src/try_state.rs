//! The storage invariants, which `try_state` checks on a live chain and the tests after every
//! test.

use crate::pallet::*;
use ehr_primitives::{PatientId, PatientRegistry};
use polkadot_sdk::frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Checks the storage invariants:
	/// - every grant is listed exactly once in [`ConsentsByGrantee`] under its patient and
	///   grantee, and every index entry points at such a grant;
	/// - [`ConsentCount`] is each patient's number of grants, within the bound;
	/// - every grant's patient exists (open or closed) and its id is below [`NextConsentId`];
	/// - no index list is empty;
	/// - the deposits held under [`HoldReason::ConsentDeposit`] and
	///   [`HoldReason::EmergencyDeposit`] match the stored grants and windows.
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
