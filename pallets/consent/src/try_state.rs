//! The storage invariants, which `try_state` checks on a live chain and the tests after every
//! test.

use crate::pallet::*;
use ehr_primitives::PatientRegistry;
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

		let mut per_depositor: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (patient, _grantee, grants) in Grants::<T>::iter() {
			ensure!(!grants.is_empty(), "empty grant list stored");
			ensure!(T::Patients::status(&patient).is_some(), "grant of an unknown patient");
			for (i, grant) in grants.iter().enumerate() {
				ensure!(
					grants.iter().skip(i.saturating_add(1)).all(|other| other.id() != grant.id()),
					"two grants of one patient to one grantee with the same id"
				);
				ensure!(
					grant.terms.valid_until.is_none_or(|until| until >= grant.terms.valid_from),
					"grant period ends before it starts"
				);
				ensure!(
					grant.terms.revoked_at.is_none_or(|at| at >= grant.terms.granted_at),
					"grant revoked before it was made"
				);
				ehr_primitives::tally(&mut per_depositor, grant.granted_by.clone());
			}
		}
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
