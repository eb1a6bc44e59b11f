//! The storage invariants, which `try_state` checks on a live chain and the tests after every
//! test.

use crate::pallet::*;
use polkadot_sdk::frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Checks the storage invariants:
	/// - every open identity has at least one controller, no duplicate controllers or guardians,
	///   no account that is both, and is not also a tombstone;
	/// - the controller index [`PatientOf`] matches the controllers exactly;
	/// - every provider's organisation exists, and organisation ids are below [`NextOrgId`];
	/// - the deposits held under [`HoldReason::PatientDeposit`] match the open identities: each
	///   depositor holds the same amount per identity;
	/// - every controller, guardian and invited key has its account kept alive: at least one
	///   sufficient reference per role it holds.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
		use polkadot_sdk::frame_support::traits::fungible::InspectHold;

		let mut controller_count = 0usize;
		let mut per_depositor: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut roles: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (patient, record) in Patients::<T>::iter() {
			for key in record.controllers.iter().chain(record.guardians.iter().map(|g| &g.account))
			{
				ehr_primitives::tally(&mut roles, key.clone());
			}
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
		for (patient, invitation) in ControllerInvitations::<T>::iter() {
			ensure!(Patients::<T>::contains_key(patient), "an invitation of no open identity");
			ehr_primitives::tally(&mut roles, invitation.invitee);
		}
		let mut per_recovery_depositor: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (patient, recovery) in ActiveRecoveries::<T>::iter() {
			ensure!(Patients::<T>::contains_key(patient), "a recovery of no open identity");
			ensure!(!recovery.approvals.is_empty(), "a recovery without its initiator's approval");
			ehr_primitives::tally(&mut roles, recovery.new_controller);
			ehr_primitives::tally(&mut per_recovery_depositor, recovery.depositor);
		}
		for patient in RecoveryConfigs::<T>::iter_keys() {
			ensure!(
				Patients::<T>::contains_key(patient),
				"a recovery configuration of no open identity"
			);
		}
		let reason = T::RuntimeHoldReason::from(HoldReason::RecoveryDeposit);
		ehr_primitives::check_uniform_deposits(per_recovery_depositor, |who| {
			T::Currency::balance_on_hold(&reason, who)
		})?;
		for (key, count) in roles {
			ensure!(
				polkadot_sdk::frame_system::Pallet::<T>::account(&key).sufficients >= count,
				"a controller, guardian or invited key's account is not kept alive"
			);
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
