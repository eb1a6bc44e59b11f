//! Benchmarks of the identity pallet, each with its worst-case setup: every bounded list full
//! and the element looked for at its end.

use super::*;
use crate::Pallet as Identity;
use alloc::vec::Vec;
use ehr_primitives::ProviderRegistry;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{Consideration, EnsureOrigin, Get},
		BoundedVec,
	},
	frame_system::RawOrigin,
	sp_runtime::{
		traits::{BlockNumberProvider, CheckedDiv},
		Saturating,
	},
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

/// The most recovery friends.
fn recovery_friends<T: Config>() -> BoundedVec<T::AccountId, T::MaxRecoveryFriends> {
	BoundedVec::truncate_from(
		(0..T::MaxRecoveryFriends::get())
			.map(|i| account("friend", i, SEED))
			.collect::<Vec<_>>(),
	)
}

/// A patient registered by `registrant` with `controllers` controllers and the most guardians,
/// a configuration with the most friends (threshold: all of them, the shortest delay), and a
/// recovery the first friend started to the first guardian's key.
fn recovering<T: Config>(
	registrant: &T::AccountId,
	controllers: u32,
) -> Result<(PatientId, Vec<T::AccountId>), BenchmarkError> {
	let (patient, _) = patient::<T>(registrant, controllers, T::MaxGuardians::get().max(1))?;
	let friends = recovery_friends::<T>();
	Identity::<T>::do_set_recovery(
		registrant.clone(),
		friends.clone(),
		friends.len() as u32,
		T::MinRecoveryDelay::get(),
	)?;
	let first = friends.first().cloned().ok_or(BenchmarkError::Stop("no friends"))?;
	T::RecoveryDeposit::ensure_successful(&first, Identity::<T>::recovery_footprint());
	let guardian: T::AccountId = account("guardian", 0, SEED);
	Identity::<T>::do_initiate_recovery(first, patient, guardian)?;
	Ok((patient, friends.into_inner()))
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
		// A pending invitation, which the new one replaces (its invitee's account is released).
		Identity::<T>::do_invite_controller(caller.clone(), account("pending", 0, SEED), None)?;
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
		Identity::<T>::do_invite_controller(
			caller.clone(),
			account("pending", 0, SEED),
			Some(caller.clone()),
		)?;
		let old = caller;
		let new: T::AccountId = account("new", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(old.clone()), new.clone());
		assert_eq!(ControllerInvitations::<T>::get(patient).map(|i| i.replaces), Some(Some(old)));
		Ok(())
	}

	/// Accepting the rotation of the last of the most controllers, with the most guardians
	/// (the costlier of adding and replacing: it also clears the old key's index entry and
	/// releases its account), by a guardian (whose guardian entry goes, and its account
	/// reference with it).
	#[benchmark]
	fn accept_controller() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (patient, controllers) =
			patient::<T>(&caller, T::MaxControllers::get(), T::MaxGuardians::get().max(1))?;
		let old = last::<T>(&controllers)?;
		let new: T::AccountId = account("guardian", 0, SEED);
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
		// A term on the grid (the next grid point after now), as the chain requires.
		let grid = T::GuardianTermGranularity::get();
		let now = Identity::<T>::now();
		let until = now
			.checked_div(&grid)
			.map(|whole| whole.saturating_add(1u32.into()).saturating_mul(grid))
			.ok_or(BenchmarkError::Stop("zero grid"))?;
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
		// A pending invitation, whose invitee's account is released too.
		Identity::<T>::do_invite_controller(
			caller.clone(),
			account("pending", 0, SEED),
			Some(caller.clone()),
		)?;
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

	/// Onboarding by an active provider of the organisation (the admin check fails first, so
	/// both the organisation and the provider are read), with an agreement signed in the
	/// `<Bytes>` wrapping (the raw signature check fails first, so both are verified).
	#[benchmark]
	fn onboard_patient() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let organisation = OrgId(NextOrgId::<T>::get());
		Identity::<T>::do_register_organisation(account("admin", 0, SEED))?;
		Identity::<T>::do_accredit_provider(
			caller.clone(),
			organisation,
			ProviderRole::OrganisationSystem,
			true,
		)?;
		let expires_at = Identity::<T>::now().saturating_add(T::MaxOnboardingValidity::get());
		// The helper makes a fresh key, whose account does not exist yet: its nonce is 0, as
		// that of any account that does not exist, such as `unused`.
		let unused: T::AccountId = account("unused", 0, SEED);
		let payload = Identity::<T>::onboarding_payload(organisation, &unused, expires_at);
		let wrapped = [b"<Bytes>".as_slice(), &payload[..], b"</Bytes>".as_slice()].concat();
		let (controller, proof) = T::BenchmarkHelper::sign(&wrapped);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), organisation, controller.clone(), expires_at, proof);
		assert!(PatientOf::<T>::contains_key(&controller));
		Ok(())
	}

	/// Replacing a configuration with the most friends (the duplicate check is quadratic).
	#[benchmark]
	fn set_recovery() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (patient, _) = patient::<T>(&caller, 1, 0)?;
		let friends = recovery_friends::<T>();
		let threshold = friends.len() as u32;
		Identity::<T>::do_set_recovery(
			caller.clone(),
			friends.clone(),
			1,
			T::MinRecoveryDelay::get(),
		)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), friends, threshold, T::MinRecoveryDelay::get());
		assert_eq!(RecoveryConfigs::<T>::get(patient).map(|c| c.threshold), Some(threshold));
		Ok(())
	}

	/// Removing a configuration while a recovery is under way, which is cancelled with it.
	#[benchmark]
	fn remove_recovery() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (patient, _) = recovering::<T>(&caller, 1)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller));
		assert!(!RecoveryConfigs::<T>::contains_key(patient));
		assert!(!ActiveRecoveries::<T>::contains_key(patient));
		Ok(())
	}

	/// The last of the most friends starts a recovery.
	#[benchmark]
	fn initiate_recovery() -> Result<(), BenchmarkError> {
		let registrant = funded::<T>();
		let (patient, _) = patient::<T>(&registrant, 1, 0)?;
		let friends = recovery_friends::<T>();
		Identity::<T>::do_set_recovery(registrant, friends.clone(), 1, T::MinRecoveryDelay::get())?;
		let friend = last::<T>(&friends)?;
		T::RecoveryDeposit::ensure_successful(&friend, Identity::<T>::recovery_footprint());
		let new: T::AccountId = account("new", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(friend), patient, new.clone());
		assert_eq!(ActiveRecoveries::<T>::get(patient).map(|r| r.new_controller), Some(new));
		Ok(())
	}

	/// The last of the most friends approves, after all the others.
	#[benchmark]
	fn approve_recovery() -> Result<(), BenchmarkError> {
		let registrant = funded::<T>();
		let (patient, friends) = recovering::<T>(&registrant, 1)?;
		let count = friends.len();
		for friend in friends.iter().take(count.saturating_sub(1)).skip(1) {
			Identity::<T>::do_approve_recovery(friend.clone(), patient)?;
		}
		let friend = last::<T>(&friends)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(friend.clone()), patient);
		assert!(ActiveRecoveries::<T>::get(patient).is_some_and(|r| r.approvals.contains(&friend)));
		Ok(())
	}

	#[benchmark]
	fn cancel_recovery() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (patient, _) = recovering::<T>(&caller, 1)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller));
		assert!(!ActiveRecoveries::<T>::contains_key(patient));
		Ok(())
	}

	/// The new key, one of the most guardians, claims with every friend's approval: the most
	/// controllers are removed and their accounts released, and a pending invitation dropped.
	#[benchmark]
	fn claim_recovery() -> Result<(), BenchmarkError> {
		let registrant: T::AccountId = account("registrant", 0, SEED);
		let (patient, friends) = recovering::<T>(&registrant, T::MaxControllers::get())?;
		for friend in friends.iter().skip(1) {
			Identity::<T>::do_approve_recovery(friend.clone(), patient)?;
		}
		Identity::<T>::do_invite_controller(
			registrant.clone(),
			account("pending", 0, SEED),
			Some(registrant.clone()),
		)?;
		let new = ActiveRecoveries::<T>::get(patient)
			.map(|r| r.new_controller)
			.ok_or(BenchmarkError::Stop("no recovery"))?;
		let started = ActiveRecoveries::<T>::get(patient).map(|r| r.started_at).unwrap_or_default();
		T::BlockNumberProvider::set_block_number(
			started.saturating_add(T::MinRecoveryDelay::get()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(new.clone()), patient);
		assert_eq!(PatientOf::<T>::get(&new), Some(patient));
		assert!(!PatientOf::<T>::contains_key(&registrant));
		Ok(())
	}

	impl_benchmark_test_suite!(Identity, mock::ExtBuilder::build(), mock::Test);
}
