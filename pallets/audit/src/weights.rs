//! Placeholder until `scripts/benchmark.sh` generates this file from the benchmarks.

#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::weights::Weight;

/// Placeholder weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

/// Weight functions needed for `pallet_ehr_audit`.
pub trait WeightInfo {
	fn prune_trail(n: u32) -> Weight;
}

impl WeightInfo for () {
	fn prune_trail(_n: u32) -> Weight {
		Weight::zero()
	}
}

impl<T> WeightInfo for SubstrateWeight<T> {
	fn prune_trail(_n: u32) -> Weight {
		Weight::zero()
	}
}
