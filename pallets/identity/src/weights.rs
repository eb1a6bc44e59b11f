//! PLACEHOLDER until the benchmarks generate this file (scripts/benchmark.sh).
#![allow(missing_docs)]
use core::marker::PhantomData;
use polkadot_sdk::frame_support::weights::Weight;
pub trait WeightInfo {
	fn register_patient() -> Weight;
	fn add_controller() -> Weight;
	fn remove_controller() -> Weight;
	fn replace_controller() -> Weight;
	fn add_guardian() -> Weight;
	fn remove_guardian() -> Weight;
	fn close_patient() -> Weight;
	fn register_organisation() -> Weight;
	fn accredit_provider() -> Weight;
	fn suspend_provider() -> Weight;
	fn reinstate_provider() -> Weight;
	fn revoke_provider() -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn register_patient() -> Weight {
		Weight::zero()
	}
	fn add_controller() -> Weight {
		Weight::zero()
	}
	fn remove_controller() -> Weight {
		Weight::zero()
	}
	fn replace_controller() -> Weight {
		Weight::zero()
	}
	fn add_guardian() -> Weight {
		Weight::zero()
	}
	fn remove_guardian() -> Weight {
		Weight::zero()
	}
	fn close_patient() -> Weight {
		Weight::zero()
	}
	fn register_organisation() -> Weight {
		Weight::zero()
	}
	fn accredit_provider() -> Weight {
		Weight::zero()
	}
	fn suspend_provider() -> Weight {
		Weight::zero()
	}
	fn reinstate_provider() -> Weight {
		Weight::zero()
	}
	fn revoke_provider() -> Weight {
		Weight::zero()
	}
}
impl WeightInfo for () {
	fn register_patient() -> Weight {
		Weight::zero()
	}
	fn add_controller() -> Weight {
		Weight::zero()
	}
	fn remove_controller() -> Weight {
		Weight::zero()
	}
	fn replace_controller() -> Weight {
		Weight::zero()
	}
	fn add_guardian() -> Weight {
		Weight::zero()
	}
	fn remove_guardian() -> Weight {
		Weight::zero()
	}
	fn close_patient() -> Weight {
		Weight::zero()
	}
	fn register_organisation() -> Weight {
		Weight::zero()
	}
	fn accredit_provider() -> Weight {
		Weight::zero()
	}
	fn suspend_provider() -> Weight {
		Weight::zero()
	}
	fn reinstate_provider() -> Weight {
		Weight::zero()
	}
	fn revoke_provider() -> Weight {
		Weight::zero()
	}
}
