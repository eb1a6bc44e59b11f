//! Benchmarks of the identity pallet, each with its worst-case setup: every bounded list full
//! and the element looked for at its end.

use super::*;
use crate::Pallet as Identity;
use alloc::vec::Vec;
use ehr_primitives::ProviderRegistry;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{Consideration, EnsureOrigin, Get},
	frame_system::{Pallet as System, RawOrigin},
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
		Identity::<T>::do_add_controller(registrant.clone(), controller.clone())?;
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
		assert_eq!(PatientOf::<T>::get(&new), Some(patient));
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
		let until = System::<T>::block_number().saturating_add(1000u32.into());
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

	#[benchmark]
	fn close_patient() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (patient, _) = patient::<T>(&caller, T::MaxControllers::get(), T::MaxGuardians::get())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
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

	/// The organisation's admin accredits (it costs the admin lookup that governance skips).
	#[benchmark]
	fn accredit_provider() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let organisation = OrgId(NextOrgId::<T>::get());
		Identity::<T>::do_register_organisation(admin.clone())?;
		let provider: T::AccountId = account("provider", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), provider.clone(), organisation, ProviderRole::Physician);
		assert!(Providers::<T>::contains_key(&provider));
		Ok(())
	}

	/// The admin of the provider's organisation suspends it (the costlier origin).
	#[benchmark]
	fn suspend_provider() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let organisation = OrgId(NextOrgId::<T>::get());
		Identity::<T>::do_register_organisation(admin.clone())?;
		let provider: T::AccountId = account("provider", 0, SEED);
		Identity::<T>::do_accredit_provider(provider.clone(), organisation, ProviderRole::Nurse)?;
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
		Ok(())
	}

	impl_benchmark_test_suite!(Identity, mock::ExtBuilder::build(), mock::Test);
}
