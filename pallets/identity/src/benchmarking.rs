//! Benchmarks of the identity pallet, each with its worst-case setup: every bounded list full
//! and the element looked for at its end.

use super::*;
use crate::Pallet as Identity;
use alloc::vec::Vec;
use ehr_primitives::ProviderRegistry;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{Consideration, EnsureOrigin, Get},
	frame_system::RawOrigin,
	sp_runtime::Saturating,
};

const SEED: u32 = 0;

/// The signer: the whitelisted caller, as in every FRAME benchmark (its account is read and
/// written by the fee payment of any transaction anyway), funded for the deposit.
fn funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	T::PatientDeposit::ensure_successful(&who, Identity::<T>::patient_footprint());
	who
}

/// A patient registered by `registrant` with `controllers` controllers in all (the registrant
/// first) and `guardians` guardians without an end block.
fn patient<T: Config>(
	registrant: &T::AccountId,
	controllers: u32,
	guardians: u32,
) -> Result<(PatientId, Vec<T::AccountId>), BenchmarkError> {
	T::PatientDeposit::ensure_successful(registrant, Identity::<T>::patient_footprint());
	let patient = Identity::<T>::next_patient_id(registrant);
	Identity::<T>::do_register_patient(registrant.clone())?;
	let mut all = alloc::vec![registrant.clone()];
	for i in 1..controllers {
		let controller: T::AccountId = account("controller", i, SEED);
		Identity::<T>::do_invite_controller(registrant.clone(), controller.clone(), None)?;
		Identity::<T>::do_accept_controller(controller.clone(), patient)?;
		all.push(controller);
	}
	for i in 0..guardians {
		Identity::<T>::do_add_guardian(registrant.clone(), account("guardian", i, SEED), None)?;
	}
	Ok((patient, all))
}

fn accreditation_origin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::AccreditationOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

fn last<T: Config>(accounts: &[T::AccountId]) -> Result<T::AccountId, BenchmarkError> {
	accounts.last().cloned().ok_or(BenchmarkError::Stop("no accounts"))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_patient() {
		let caller = funded::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(PatientOf::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn add_controller() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let max = T::MaxControllers::get();
		let (patient, _) = patient::<T>(&caller, max.saturating_sub(1), T::MaxGuardians::get())?;
		let new: T::AccountId = account("new", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), new.clone());
		assert_eq!(ControllerInvitations::<T>::get(patient).map(|i| i.invitee), Some(new));
		Ok(())
	}

	#[benchmark]
	fn remove_controller() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (_, controllers) =
			patient::<T>(&caller, T::MaxControllers::get().max(2), T::MaxGuardians::get())?;
		let removed = last::<T>(&controllers)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), removed.clone());
		assert!(!PatientOf::<T>::contains_key(&removed));
		Ok(())
	}

	#[benchmark]
	fn replace_controller() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (patient, _) = patient::<T>(&caller, T::MaxControllers::get(), T::MaxGuardians::get())?;
		let old = caller;
		let new: T::AccountId = account("new", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(old.clone()), new.clone());
		assert_eq!(ControllerInvitations::<T>::get(patient).map(|i| i.replaces), Some(Some(old)));
		Ok(())
	}

	/// Accepting the rotation of the last of the most controllers, with the most guardians
	/// (the costlier of adding and replacing: it also clears the old key's index entry).
	#[benchmark]
	fn accept_controller() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (patient, controllers) =
			patient::<T>(&caller, T::MaxControllers::get(), T::MaxGuardians::get())?;
		let old = last::<T>(&controllers)?;
		let new: T::AccountId = account("new", 0, SEED);
		Identity::<T>::do_invite_controller(old.clone(), new.clone(), Some(old.clone()))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(new.clone()), patient);
		assert_eq!(PatientOf::<T>::get(&new), Some(patient));
		assert!(!PatientOf::<T>::contains_key(&old));
		Ok(())
	}

	#[benchmark]
	fn add_guardian() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (patient, _) = patient::<T>(
			&caller,
			T::MaxControllers::get(),
			T::MaxGuardians::get().saturating_sub(1),
		)?;
		let guardian: T::AccountId = account("new-guardian", 0, SEED);
		let until = Identity::<T>::now().saturating_add(1000u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), guardian.clone(), Some(until));
		let record = Patients::<T>::get(patient).ok_or(BenchmarkError::Stop("no patient"))?;
		assert!(record.guardians.iter().any(|g| g.account == guardian));
		Ok(())
	}

	#[benchmark]
	fn remove_guardian() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let max = T::MaxGuardians::get();
		let (patient, _) = patient::<T>(&caller, T::MaxControllers::get(), max)?;
		let guardian: T::AccountId = account("guardian", max.saturating_sub(1), SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), patient, guardian.clone());
		let record = Patients::<T>::get(patient).ok_or(BenchmarkError::Stop("no patient"))?;
		assert!(!record.guardians.iter().any(|g| g.account == guardian));
		Ok(())
	}

	/// A controller other than the registrant closes: the deposit goes back to (and the
	/// tombstone's share is burnt from) the registrant's account, which is read and written
	/// too (finding 7).
	#[benchmark]
	fn close_patient() -> Result<(), BenchmarkError> {
		let registrant: T::AccountId = account("registrant", 0, SEED);
		let (patient, controllers) =
			patient::<T>(&registrant, T::MaxControllers::get().max(2), T::MaxGuardians::get())?;
		let caller = last::<T>(&controllers)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller));
		assert!(ClosedPatients::<T>::contains_key(patient));
		assert!(!Patients::<T>::contains_key(patient));
		Ok(())
	}

	#[benchmark]
	fn register_organisation() -> Result<(), BenchmarkError> {
		let origin = accreditation_origin::<T>()?;
		let admin: T::AccountId = account("admin", 0, SEED);
		let id = OrgId(NextOrgId::<T>::get());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, admin);
		assert!(Organisations::<T>::contains_key(id));
		Ok(())
	}

	/// Governance accredits an account it revoked before: the costlier path, which also clears
	/// the revocation (an admin's path reads the same items and writes one fewer).
	#[benchmark]
	fn accredit_provider() -> Result<(), BenchmarkError> {
		let origin = accreditation_origin::<T>()?;
		let admin: T::AccountId = account("admin", 0, SEED);
		let organisation = OrgId(NextOrgId::<T>::get());
		Identity::<T>::do_register_organisation(admin)?;
		let provider: T::AccountId = account("provider", 0, SEED);
		Identity::<T>::do_accredit_provider(
			provider.clone(),
			organisation,
			ProviderRole::Physician,
			true,
		)?;
		Identity::<T>::do_revoke_provider(provider.clone())?;
		assert!(RevokedProviders::<T>::contains_key(&provider));
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider.clone(), organisation, ProviderRole::Physician);
		assert!(Providers::<T>::contains_key(&provider));
		assert!(!RevokedProviders::<T>::contains_key(&provider));
		Ok(())
	}

	/// The admin of the provider's organisation suspends it (the costlier origin).
	#[benchmark]
	fn suspend_provider() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let organisation = OrgId(NextOrgId::<T>::get());
		Identity::<T>::do_register_organisation(admin.clone())?;
		let provider: T::AccountId = account("provider", 0, SEED);
		Identity::<T>::do_accredit_provider(
			provider.clone(),
			organisation,
			ProviderRole::Nurse,
			false,
		)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), provider.clone());
		assert_eq!(Identity::<T>::active_provider(&provider), None);
		Ok(())
	}

	#[benchmark]
	fn reinstate_provider() -> Result<(), BenchmarkError> {
		let origin = accreditation_origin::<T>()?;
		let provider: T::AccountId = account("provider", 0, SEED);
		Identity::<T>::accredit_for_benchmark(&provider);
		Identity::<T>::do_set_provider_status(provider.clone(), ProviderStatus::Suspended)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider.clone());
		assert!(Identity::<T>::active_provider(&provider).is_some());
		Ok(())
	}

	#[benchmark]
	fn revoke_provider() -> Result<(), BenchmarkError> {
		let origin = accreditation_origin::<T>()?;
		let provider: T::AccountId = account("provider", 0, SEED);
		Identity::<T>::accredit_for_benchmark(&provider);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider.clone());
		assert!(!Providers::<T>::contains_key(&provider));
		assert!(RevokedProviders::<T>::contains_key(&provider));
		Ok(())
	}

	#[benchmark]
	fn set_organisation_admin() -> Result<(), BenchmarkError> {
		let origin = accreditation_origin::<T>()?;
		let organisation = OrgId(NextOrgId::<T>::get());
		Identity::<T>::do_register_organisation(account("admin", 0, SEED))?;
		let admin: T::AccountId = account("admin", 1, SEED);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, organisation, Some(admin.clone()));
		assert_eq!(Organisations::<T>::get(organisation).and_then(|o| o.admin), Some(admin));
		Ok(())
	}

	/// Suspending and reinstating an organisation cost the same; suspension is measured.
	#[benchmark]
	fn set_organisation_status() -> Result<(), BenchmarkError> {
		let origin = accreditation_origin::<T>()?;
		let organisation = OrgId(NextOrgId::<T>::get());
		Identity::<T>::do_register_organisation(account("admin", 0, SEED))?;
		#[block]
		{
			Identity::<T>::suspend_organisation(origin as T::RuntimeOrigin, organisation)?;
		}
		assert!(Organisations::<T>::get(organisation).is_some_and(|o| o.suspended));
		Ok(())
	}

	impl_benchmark_test_suite!(Identity, mock::ExtBuilder::build(), mock::Test);
}
