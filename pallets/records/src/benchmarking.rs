//! Benchmarks of the records pallet, each with its worst-case setup. `record_access` has a
//! component for the other grants and records of the patient: its weight must not grow with it.

use super::*;
use crate::Pallet as RecordsPallet;
use alloc::vec::Vec;
use ehr_primitives::{
	AccessRequest, Action, AuditOutcome, ConsentCheck, PatientRegistry, ProviderRegistry,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{Consideration, Get},
		BoundedVec,
	},
	frame_system::{Pallet as System, RawOrigin},
};

/// The benchmarks' category tag: a slot under some key; the chain only compares slots.
const CATEGORY: CategoryTag = CategoryTag { epoch: 0, slot: 17 };
/// Emergency treatment: the consent check also reads the provider's (ended) emergency window
/// before both grant lists, its worst case.
const PURPOSE: PurposeOfUse = PurposeOfUse::EmergencyTreatment;

/// A distinct, non-zero digest for each `n`.
fn digest(n: u32) -> Digest {
	let bytes = n.to_le_bytes();
	Digest {
		algorithm: DigestAlgorithm::Blake2b256,
		hash: core::array::from_fn(|i| bytes.get(i).copied().unwrap_or(0xee)),
	}
}

fn assert_last_event<T: Config>(event: Event<T>) {
	System::<T>::assert_last_event(<T as Config>::RuntimeEvent::from(event).into());
}

/// A patient (controlled by `controller`) and an accredited `provider` whom the consent check
/// permits `action` on the benchmark category, in its costliest way, behind `others` grants to
/// other providers.
fn setup<T: Config>(
	controller: &T::AccountId,
	provider: &T::AccountId,
	action: Action,
	others: u32,
) -> PatientId {
	let patient = T::Patients::register_for_benchmark(controller);
	T::Providers::accredit_for_benchmark(provider);
	let request = AccessRequest { patient, category: CATEGORY, action, purpose: PURPOSE };
	T::Consent::permit_for_benchmark(controller, provider, &request, others);
	patient
}

fn anchor<T: Config>(
	who: &T::AccountId,
	patient: PatientId,
	n: u32,
	predecessor: Option<RecordId>,
) -> Result<RecordId, BenchmarkError> {
	T::RecordDeposit::ensure_successful(who, RecordsPallet::<T>::record_footprint());
	Ok(RecordsPallet::<T>::do_anchor(
		who.clone(),
		patient,
		CATEGORY,
		digest(n),
		Some([1; 32]),
		predecessor,
		PURPOSE,
	)?)
}

/// The `i`-th patient of a bulk benchmark (its own controller), whose consent check permits
/// `action` for `provider` in the check's worst case, with one record anchored by the patient
/// side.
fn patient_with_record<T: Config>(
	i: u32,
	provider: &T::AccountId,
	action: Action,
) -> Result<(PatientId, RecordId), BenchmarkError> {
	let controller: T::AccountId = account("controller", i, 0);
	let patient = T::Patients::register_for_benchmark(&controller);
	let request = AccessRequest { patient, category: CATEGORY, action, purpose: PURPOSE };
	T::Consent::permit_for_benchmark(&controller, provider, &request, 0);
	Ok((patient, anchor::<T>(&controller, patient, i, None)?))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The costliest first version: by a provider (the consent check runs, scanning the most
	/// grants to it), for a patient who already has a record.
	#[benchmark]
	fn anchor_record() -> Result<(), BenchmarkError> {
		let provider: T::AccountId = whitelisted_caller();
		let controller: T::AccountId = account("controller", 0, 0);
		let patient = setup::<T>(&controller, &provider, Action::Write, 0);
		anchor::<T>(&controller, patient, 0, None)?;
		T::RecordDeposit::ensure_successful(&provider, RecordsPallet::<T>::record_footprint());

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), patient, CATEGORY, digest(1), Some([2; 32]), None, PURPOSE);

		let id = RecordsPallet::<T>::record_id(&digest(1));
		let record = Records::<T>::get(patient, id).ok_or("not anchored")?;
		assert_eq!(record.version.number, 1);
		Ok(())
	}

	/// The costliest amendment: `anchor_record` with a predecessor, by a provider (the consent
	/// check runs); the predecessor is written too.
	#[benchmark]
	fn amend_record() -> Result<(), BenchmarkError> {
		let provider: T::AccountId = whitelisted_caller();
		let controller: T::AccountId = account("controller", 0, 0);
		let patient = setup::<T>(&controller, &provider, Action::Write, 0);
		let previous = anchor::<T>(&controller, patient, 0, None)?;
		T::RecordDeposit::ensure_successful(&provider, RecordsPallet::<T>::record_footprint());

		#[block]
		{
			RecordsPallet::<T>::anchor_record(
				RawOrigin::Signed(provider).into(),
				patient,
				CATEGORY,
				digest(1),
				Some([2; 32]),
				Some(previous),
				PURPOSE,
			)?;
		}

		let id = RecordsPallet::<T>::record_id(&digest(1));
		let record = Records::<T>::get(patient, id).ok_or("not anchored")?;
		assert_eq!(record.version.number, 2);
		assert_eq!(
			Records::<T>::get(patient, previous).and_then(|r| r.version.successor),
			Some(id)
		);
		Ok(())
	}

	/// A provider of the author's organisation retracts its record.
	#[benchmark]
	fn retract_record() -> Result<(), BenchmarkError> {
		let provider: T::AccountId = whitelisted_caller();
		let controller: T::AccountId = account("controller", 0, 0);
		let patient = setup::<T>(&controller, &provider, Action::Write, 0);
		let id = anchor::<T>(&provider, patient, 0, None)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), patient, id);

		let record = Records::<T>::get(patient, id).ok_or("gone")?;
		assert!(matches!(record.status, RecordStatus::Retracted { .. }));
		Ok(())
	}

	/// The patient's controller erases a provider's record in the middle of a chain (the
	/// deposit goes back to the provider).
	#[benchmark]
	fn erase_record() -> Result<(), BenchmarkError> {
		let controller: T::AccountId = whitelisted_caller();
		let provider: T::AccountId = account("provider", 0, 0);
		let patient = setup::<T>(&controller, &provider, Action::Write, 0);
		let first = anchor::<T>(&provider, patient, 0, None)?;
		let id = anchor::<T>(&provider, patient, 1, Some(first))?;
		anchor::<T>(&provider, patient, 2, Some(id))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), patient, id);

		assert!(
			Tombstones::<T>::contains_key(patient, id) && !Records::<T>::contains_key(patient, id)
		);
		Ok(())
	}

	/// Anyone erases `n` records of a closed patient, each by another author: each deposit goes
	/// back to its own author, whose balance is read and written (finding 7).
	#[benchmark]
	fn erase_patient_records(
		n: Linear<1, { T::MaxErasePerCall::get() }>,
	) -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let controller: T::AccountId = account("controller", 0, 0);
		let provider: T::AccountId = account("provider", 0, 0);
		let patient = setup::<T>(&controller, &provider, Action::Write, 0);
		let footprint = RecordsPallet::<T>::record_footprint();
		for i in 0..n {
			let id = anchor::<T>(&provider, patient, i, None)?;
			// The record is handed to an author of its own, with a deposit of its own.
			let author: T::AccountId = account("author", i, 0);
			T::RecordDeposit::ensure_successful(&author, footprint);
			let deposit = T::RecordDeposit::new(&author, footprint)?;
			let mut record = Records::<T>::get(patient, id).ok_or("not anchored")?;
			core::mem::replace(&mut record.deposit, deposit).drop(&provider)?;
			record.author = author;
			Records::<T>::insert(patient, id, record);
		}
		T::Patients::close_for_benchmark(&patient);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), patient, n);

		assert!(Records::<T>::iter_key_prefix(patient).next().is_none());
		Ok(())
	}

	/// A provider anchors a batch of the most documents allowed.
	#[benchmark]
	fn anchor_batch() -> Result<(), BenchmarkError> {
		let provider: T::AccountId = whitelisted_caller();
		let info = T::Providers::accredit_for_benchmark(&provider);
		T::BatchDeposit::ensure_successful(&provider, RecordsPallet::<T>::batch_footprint());
		let root = [0xab; 32];
		let leaves = T::MaxBatchLeaves::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), root, leaves);

		assert!(Batches::<T>::contains_key(info.organisation, root));
		Ok(())
	}

	/// A provider declares an access permitted by the last of its grants; the patient has `n`
	/// other grants (to other providers) and `n` other records, which must not cost anything.
	#[benchmark]
	fn record_access(n: Linear<0, ACCESS_BENCHMARK_OTHERS>) -> Result<(), BenchmarkError> {
		let provider: T::AccountId = whitelisted_caller();
		let controller: T::AccountId = account("controller", 0, 0);
		let patient = setup::<T>(&controller, &provider, Action::Read, n);
		for i in 0..n {
			anchor::<T>(&controller, patient, i, None)?;
		}
		let id = anchor::<T>(&controller, patient, n, None)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), patient, id, PURPOSE);

		assert_last_event::<T>(Event::RecordAccessed {
			record: id,
			patient,
			accessor: provider,
			purpose: PURPOSE,
			outcome: AuditOutcome::Success,
		});
		Ok(())
	}

	/// A provider declares `n` accesses in one call, each to a record of a different patient
	/// whose consent check is in its worst case (as in `record_access`): nothing is shared
	/// between the accesses but the signer's accreditation.
	#[benchmark]
	fn record_accesses(
		n: Linear<1, { BULK_ACCESS_BENCHMARK_MAX.min(T::MaxBulkAccesses::get()) }>,
	) -> Result<(), BenchmarkError> {
		let provider: T::AccountId = whitelisted_caller();
		T::Providers::accredit_for_benchmark(&provider);
		let mut accesses = Vec::new();
		for i in 0..n {
			let (patient, record) = patient_with_record::<T>(i, &provider, Action::Read)?;
			accesses.push(DeclaredAccess { patient, record, purpose: PURPOSE });
		}
		let last = accesses.last().copied().ok_or(BenchmarkError::Stop("no access"))?;
		let accesses: BoundedVec<_, T::MaxBulkAccesses> =
			accesses.try_into().map_err(|_| BenchmarkError::Stop("too many accesses"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), accesses);

		assert_last_event::<T>(Event::RecordAccessed {
			record: last.record,
			patient: last.patient,
			accessor: provider,
			purpose: PURPOSE,
			outcome: AuditOutcome::Success,
		});
		Ok(())
	}

	/// A provider anchors `n` documents in one call, each an amendment (the costlier kind: the
	/// predecessor is rewritten) of a record of a different patient whose consent check for
	/// the write is in its worst case (as in `amend_record`).
	#[benchmark]
	fn anchor_records(
		n: Linear<1, { BULK_ANCHOR_BENCHMARK_MAX.min(T::MaxBulkAnchors::get()) }>,
	) -> Result<(), BenchmarkError> {
		let provider: T::AccountId = whitelisted_caller();
		T::Providers::accredit_for_benchmark(&provider);
		let mut records = Vec::new();
		for i in 0..n {
			let (patient, previous) = patient_with_record::<T>(i, &provider, Action::Write)?;
			T::RecordDeposit::ensure_successful(&provider, RecordsPallet::<T>::record_footprint());
			records.push(NewRecord {
				patient,
				category: CATEGORY,
				digest: digest(n.saturating_add(i)),
				locator: Some([2; 32]),
				predecessor: Some(previous),
				purpose: PURPOSE,
			});
		}
		let last = records.last().copied().ok_or(BenchmarkError::Stop("no record"))?;
		let records: BoundedVec<_, T::MaxBulkAnchors> =
			records.try_into().map_err(|_| BenchmarkError::Stop("too many records"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), records);

		let id = RecordsPallet::<T>::record_id(&last.digest);
		let record = Records::<T>::get(last.patient, id).ok_or("not anchored")?;
		assert_eq!(record.version.number, 2);
		Ok(())
	}

	impl_benchmark_test_suite!(RecordsPallet, mock::ExtBuilder::build(), mock::Test);
}
