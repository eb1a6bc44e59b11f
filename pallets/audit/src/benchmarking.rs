//! Benchmarks of the audit pallet with their worst-case setup.

use super::*;
use crate::Pallet as Audit;
use ehr_primitives::{AuditEvent, OrgId, PurposeOfUse, RecordId};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::Get,
	frame_system::{pallet_prelude::BlockNumberFor, RawOrigin},
	sp_runtime::{traits::BlockNumberProvider, Saturating},
};

fn entry<T: Config>(
	who: &T::AccountId,
	patient: PatientId,
	i: u64,
) -> AuditEvent<T::AccountId, BlockNumberFor<T>> {
	AuditEvent {
		patient,
		actor: AuditActor::Account(who.clone()),
		organisation: Some(OrgId(u32::MAX)),
		action: AuditAction::RecordAccessed,
		entity: AuditEntity::Record(RecordId(i)),
		purpose: Some(PurposeOfUse::Treatment),
		outcome: AuditOutcome::Success,
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Prunes `n` entries, all past the retention period.
	#[benchmark]
	fn prune_trail(n: Linear<1, { T::MaxPageSize::get() }>) -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let patient = PatientId([0xaa; 32]);
		for i in 0..u64::from(n) {
			Audit::<T>::append(entry::<T>(&caller, patient, i));
		}
		let now = Audit::<T>::now();
		T::BlockNumberProvider::set_block_number(now.saturating_add(T::Retention::get()));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), patient, n);

		let trail = Trails::<T>::get(patient).ok_or("no trail")?;
		assert_eq!(trail.first_retained, u64::from(n));
		Ok(())
	}

	impl_benchmark_test_suite!(Audit, mock::ExtBuilder::build(), mock::Test);
}
