//! PLACEHOLDER, replaced by `scripts/benchmark.sh` before commit.
#![allow(missing_docs)]
use core::marker::PhantomData;
use polkadot_sdk::frame_support::weights::Weight;
pub trait WeightInfo {
	fn dispatch_as_root() -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn dispatch_as_root() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
}
impl WeightInfo for () {
	fn dispatch_as_root() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
}
