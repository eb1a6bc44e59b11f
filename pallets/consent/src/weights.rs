//! PLACEHOLDER until the benchmarks generate this file (scripts/benchmark.sh).
#![allow(missing_docs)]
use core::marker::PhantomData;
use polkadot_sdk::frame_support::weights::Weight;
pub trait WeightInfo {
	fn grant_consent() -> Weight;
	fn revoke_consent() -> Weight;
	fn reap_consent() -> Weight;
	fn open_emergency_access() -> Weight;
	fn close_emergency_access() -> Weight;
	fn reap_emergency_access() -> Weight;
	fn check_access(n: u32) -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn grant_consent() -> Weight {
		Weight::zero()
	}
	fn revoke_consent() -> Weight {
		Weight::zero()
	}
	fn reap_consent() -> Weight {
		Weight::zero()
	}
	fn open_emergency_access() -> Weight {
		Weight::zero()
	}
	fn close_emergency_access() -> Weight {
		Weight::zero()
	}
	fn reap_emergency_access() -> Weight {
		Weight::zero()
	}
	fn check_access(_n: u32) -> Weight {
		Weight::zero()
	}
}
impl WeightInfo for () {
	fn grant_consent() -> Weight {
		Weight::zero()
	}
	fn revoke_consent() -> Weight {
		Weight::zero()
	}
	fn reap_consent() -> Weight {
		Weight::zero()
	}
	fn open_emergency_access() -> Weight {
		Weight::zero()
	}
	fn close_emergency_access() -> Weight {
		Weight::zero()
	}
	fn reap_emergency_access() -> Weight {
		Weight::zero()
	}
	fn check_access(_n: u32) -> Weight {
		Weight::zero()
	}
}
