//! Placeholder until `scripts/benchmark.sh` generates this file from the benchmarks.

#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::weights::Weight;

/// Placeholder weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

/// Weight functions needed for `pallet_ehr_records`.
pub trait WeightInfo {
	fn anchor_record() -> Weight;
	fn retract_record() -> Weight;
	fn erase_record() -> Weight;
	fn erase_patient_records(n: u32) -> Weight;
	fn anchor_batch() -> Weight;
	fn record_access(n: u32) -> Weight;
}

impl WeightInfo for () {
	fn anchor_record() -> Weight {
		Weight::zero()
	}
	fn retract_record() -> Weight {
		Weight::zero()
	}
	fn erase_record() -> Weight {
		Weight::zero()
	}
	fn erase_patient_records(_n: u32) -> Weight {
		Weight::zero()
	}
	fn anchor_batch() -> Weight {
		Weight::zero()
	}
	fn record_access(_n: u32) -> Weight {
		Weight::zero()
	}
}

impl<T> WeightInfo for SubstrateWeight<T> {
	fn anchor_record() -> Weight {
		Weight::zero()
	}
	fn retract_record() -> Weight {
		Weight::zero()
	}
	fn erase_record() -> Weight {
		Weight::zero()
	}
	fn erase_patient_records(_n: u32) -> Weight {
		Weight::zero()
	}
	fn anchor_batch() -> Weight {
		Weight::zero()
	}
	fn record_access(_n: u32) -> Weight {
		Weight::zero()
	}
}
