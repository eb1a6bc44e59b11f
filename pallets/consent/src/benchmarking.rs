//! Benchmarks of the consent pallet, each with its worst-case setup. `check_access` has a
//! component for the grants the patient gave *other* grantees: its weight must not grow with it.

use super::*;
use crate::Pallet as EhrConsent;
use ehr_primitives::{PatientRegistry, ProviderRegistry};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{Consideration, Get},
	frame_system::RawOrigin,
	sp_runtime::{
		traits::{BlockNumberProvider, Zero},
		Saturating,
	},
};

const SEED: u32 = 0;

/// The sealed categories of the benchmarks' grants: every category under a fixed key.
fn all_categories() -> SealedCategories {
	ehr_primitives::sealing::seal_set(&[0; 32], 0, ehr_primitives::DataCategory::ALL, &[0; 32])
}

fn all_scope() -> Scope {
	Scope {
		categories: all_categories(),
		actions: Actions::ALL,
		purposes: Purposes::ALL,
		roles: ProviderRoles::ALL,
	}
}

/// A scope that covers everything except `ETREAT`, so that an `ETREAT` check scans every grant.
fn no_etreat_scope() -> Scope {
	let etreat = PurposeOfUse::EmergencyTreatment.bit();
	Scope { purposes: Purposes(Purposes::ALL.0 & !etreat), ..all_scope() }
}

/// A patient whose controller is funded for grants.
fn patient<T: Config>() -> (T::AccountId, PatientId) {
	// The signer is the whitelisted caller, as in every FRAME benchmark: fee payment reads and
	// writes its account in any transaction anyway.
	let controller: T::AccountId = whitelisted_caller();
	let patient = T::Patients::register_for_benchmark(&controller);
	(controller, patient)
}

fn grant<T: Config>(
	by: &T::AccountId,
	patient: PatientId,
	grantee: GranteeOf<T>,
	scope: Scope,
) -> Result<ConsentId, BenchmarkError> {
	T::ConsentDeposit::ensure_successful(by, EhrConsent::<T>::consent_footprint());
	EhrConsent::<T>::do_grant(by.clone(), patient, grantee.clone(), scope, Zero::zero(), None)?;
	Grants::<T>::get(patient, &grantee)
		.last()
		.map(|grant| grant.id())
		.ok_or(BenchmarkError::Stop("no grant"))
}

/// Fills `patient`'s grants to `grantee` up to the bound, minus `room`.
fn fill_grantee<T: Config>(
	by: &T::AccountId,
	patient: PatientId,
	grantee: &GranteeOf<T>,
	room: u32,
	scope: Scope,
) -> Result<(), BenchmarkError> {
	for _ in 0..T::MaxGrantsPerGrantee::get().saturating_sub(room) {
		grant::<T>(by, patient, grantee.clone(), scope)?;
	}
	Ok(())
}

/// Gives `count` grants to providers other than the one benchmarked, spread over as few
/// grantees as the per-grantee bound allows.
fn grants_to_others<T: Config>(
	by: &T::AccountId,
	patient: PatientId,
	count: u32,
) -> Result<(), BenchmarkError> {
	let per = T::MaxGrantsPerGrantee::get();
	for i in 0..count {
		let other: T::AccountId = account("other", i.checked_div(per).unwrap_or_default(), SEED);
		if i.checked_rem(per).unwrap_or_default() == 0 {
			T::Providers::accredit_for_benchmark(&other);
		}
		grant::<T>(by, patient, Grantee::Provider(other), all_scope())?;
	}
	Ok(())
}

fn provider<T: Config>(name: &'static str) -> (T::AccountId, ehr_primitives::ProviderInfo) {
	let who: T::AccountId = account(name, 0, SEED);
	let info = T::Providers::accredit_for_benchmark(&who);
	(who, info)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn grant_consent() -> Result<(), BenchmarkError> {
		let (controller, patient) = patient::<T>();
		let (doctor, _) = provider::<T>("doctor");
		let grantee = Grantee::Provider(doctor);
		// The grantee's list one short of full: the longest list read, searched for a free id
		// and written. Its grants were made in this block, so their ids took the first nonces
		// and the new grant hashes every nonce up to the last.
		fill_grantee::<T>(&controller, patient, &grantee, 1, all_scope())?;
		T::ConsentDeposit::ensure_successful(&controller, EhrConsent::<T>::consent_footprint());
		let until =
			Some(T::BlockNumberProvider::current_block_number().saturating_add(1000u32.into()));
		#[extrinsic_call]
		_(
			RawOrigin::Signed(controller),
			patient,
			grantee.clone(),
			all_categories(),
			Actions::ALL,
			Purposes::ALL,
			ProviderRoles::ALL,
			Zero::zero(),
			until,
		);
		assert_eq!(Grants::<T>::get(patient, &grantee).len() as u32, T::MaxGrantsPerGrantee::get());
		Ok(())
	}

	/// The last grant of a full list is revoked: the longest list read, searched and written.
	#[benchmark]
	fn revoke_consent() -> Result<(), BenchmarkError> {
		let (controller, patient) = patient::<T>();
		let (doctor, _) = provider::<T>("doctor");
		let grantee = Grantee::Provider(doctor);
		fill_grantee::<T>(&controller, patient, &grantee, 1, all_scope())?;
		let id = grant::<T>(&controller, patient, grantee.clone(), all_scope())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(controller), patient, grantee.clone(), id);
		let grants = Grants::<T>::get(patient, &grantee);
		assert!(grants.iter().any(|g| g.id() == id && g.terms.revoked_at.is_some()));
		Ok(())
	}

	/// Anyone reaps a grant whose provider left its organisation (the costliest way to have
	/// ended: the grant is neither revoked nor expired, so the provider's accreditation and its
	/// organisation are read, finding 16); the deposit goes back to the controller who granted
	/// it, an account other than the caller's (finding 7: its balance is read and written too).
	#[benchmark]
	fn reap_consent() -> Result<(), BenchmarkError> {
		let controller: T::AccountId = account("controller", 0, SEED);
		let patient = T::Patients::register_for_benchmark(&controller);
		let (doctor, _) = provider::<T>("doctor");
		let grantee = Grantee::Provider(doctor.clone());
		fill_grantee::<T>(&controller, patient, &grantee, 1, all_scope())?;
		let id = grant::<T>(&controller, patient, grantee, all_scope())?;
		let later = T::BlockNumberProvider::current_block_number().saturating_add(1u32.into());
		T::BlockNumberProvider::set_block_number(later);
		T::Providers::reaccredit_for_benchmark(&doctor, later);
		let caller: T::AccountId = whitelisted_caller();
		let grantee = Grantee::Provider(doctor);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), patient, grantee.clone(), id);
		assert!(!Grants::<T>::get(patient, &grantee).iter().any(|g| g.id() == id));
		Ok(())
	}

	/// The patient's controller takes over the deposit of a grant a former agent made (another
	/// account, whose hold is released), the last of a full list, to a provider (whose
	/// accreditation is read to see that the grant is in force).
	#[benchmark]
	fn take_over_consent_deposit() -> Result<(), BenchmarkError> {
		let (controller, patient) = patient::<T>();
		let (doctor, _) = provider::<T>("doctor");
		let grantee = Grantee::Provider(doctor);
		fill_grantee::<T>(&controller, patient, &grantee, 1, all_scope())?;
		let former: T::AccountId = account("former", 0, SEED);
		// Granted by the controller, then the deposit moved to the former agent.
		let id = grant::<T>(&controller, patient, grantee.clone(), all_scope())?;
		let mut grants = Grants::<T>::get(patient, &grantee);
		let consent = grants
			.iter_mut()
			.find(|g| g.id() == id)
			.ok_or(BenchmarkError::Stop("no grant"))?;
		T::ConsentDeposit::ensure_successful(&former, EhrConsent::<T>::consent_footprint());
		let deposit = T::ConsentDeposit::new(&former, EhrConsent::<T>::consent_footprint())?;
		core::mem::replace(&mut consent.deposit, deposit).drop(&controller)?;
		consent.granted_by = former;
		Grants::<T>::insert(patient, &grantee, grants);
		T::ConsentDeposit::ensure_successful(&controller, EhrConsent::<T>::consent_footprint());
		#[extrinsic_call]
		_(RawOrigin::Signed(controller.clone()), patient, grantee.clone(), id);
		let grants = Grants::<T>::get(patient, &grantee);
		assert!(grants.iter().any(|g| g.id() == id && g.granted_by == controller));
		Ok(())
	}

	#[benchmark]
	fn open_emergency_access() -> Result<(), BenchmarkError> {
		let (_, patient) = patient::<T>();
		let (doctor, _) = provider::<T>("doctor");
		// An ended window is replaced (two deposits moved) and the rate entry updated.
		T::EmergencyDeposit::ensure_successful(&doctor, EhrConsent::<T>::emergency_footprint());
		EhrConsent::<T>::do_open_emergency(doctor.clone(), patient, [1; 32])?;
		EhrConsent::<T>::do_close_emergency(Some(doctor.clone()), patient, doctor.clone())?;
		T::EmergencyDeposit::ensure_successful(&doctor, EhrConsent::<T>::emergency_footprint());
		#[extrinsic_call]
		_(RawOrigin::Signed(doctor.clone()), patient, [2; 32]);
		let window = EmergencyAccess::<T>::get(patient, &doctor);
		assert!(window.is_some_and(|w| w.justification == [2; 32] && w.closed_at.is_none()));
		Ok(())
	}

	#[benchmark]
	fn close_emergency_access() -> Result<(), BenchmarkError> {
		let (controller, patient) = patient::<T>();
		let (doctor, _) = provider::<T>("doctor");
		T::EmergencyDeposit::ensure_successful(&doctor, EhrConsent::<T>::emergency_footprint());
		EhrConsent::<T>::do_open_emergency(doctor.clone(), patient, [1; 32])?;
		#[extrinsic_call]
		_(RawOrigin::Signed(controller), patient, doctor.clone());
		assert!(EmergencyAccess::<T>::get(patient, &doctor).is_some_and(|w| w.closed_at.is_some()));
		Ok(())
	}

	#[benchmark]
	fn reap_emergency_access() -> Result<(), BenchmarkError> {
		let (_, patient) = patient::<T>();
		let (doctor, _) = provider::<T>("doctor");
		T::EmergencyDeposit::ensure_successful(&doctor, EhrConsent::<T>::emergency_footprint());
		EhrConsent::<T>::do_open_emergency(doctor.clone(), patient, [1; 32])?;
		EhrConsent::<T>::do_close_emergency(None, patient, doctor.clone())?;
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), patient, doctor.clone());
		assert!(!EmergencyAccess::<T>::contains_key(patient, &doctor));
		Ok(())
	}

	/// The consent check, worst case: an `ETREAT` request, an ended emergency window, and full
	/// lists of grants to the provider and to its organisation that are in force but do not
	/// cover `ETREAT`, so every one is read and the answer is "out of scope". `n` is the number
	/// of grants the patient gave other grantees: the weight must be flat in `n`.
	#[benchmark]
	fn check_access(n: Linear<0, CHECK_BENCHMARK_OTHER_GRANTS>) -> Result<(), BenchmarkError> {
		let (controller, patient) = patient::<T>();
		let (doctor, info) = provider::<T>("doctor");
		fill_grantee::<T>(
			&controller,
			patient,
			&Grantee::Provider(doctor.clone()),
			0,
			no_etreat_scope(),
		)?;
		fill_grantee::<T>(
			&controller,
			patient,
			&Grantee::Organisation(info.organisation),
			0,
			no_etreat_scope(),
		)?;
		grants_to_others::<T>(&controller, patient, n)?;
		T::EmergencyDeposit::ensure_successful(&doctor, EhrConsent::<T>::emergency_footprint());
		EhrConsent::<T>::do_open_emergency(doctor.clone(), patient, [1; 32])?;
		EhrConsent::<T>::do_close_emergency(None, patient, doctor.clone())?;
		let request = AccessRequest {
			patient,
			category: ehr_primitives::sealing::seal(
				&[0; 32],
				0,
				ehr_primitives::DataCategory::Genomics,
			),
			action: Action::Write,
			purpose: PurposeOfUse::EmergencyTreatment,
		};
		let decision;
		#[block]
		{
			decision = EhrConsent::<T>::check_access(&doctor, &request);
		}
		assert_eq!(decision, AccessDecision::Denied(DenialReason::OutOfScope));
		Ok(())
	}

	impl_benchmark_test_suite!(EhrConsent, mock::ExtBuilder::build(), mock::Test);
}
