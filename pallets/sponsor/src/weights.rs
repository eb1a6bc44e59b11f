
//! Weights for `pallet_ehr_sponsor`. Placeholder until `scripts/benchmark.sh` generates this file.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions needed for `pallet_ehr_sponsor`.
pub trait WeightInfo {
	fn dispatch() -> Weight;
}

/// Weights for `pallet_ehr_sponsor` measured on the reference machine, with the runtime's database
/// weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn dispatch() -> Weight {
		Weight::from_parts(30_000_000, 0)
	}
}

/// The same weights with RocksDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn dispatch() -> Weight {
		Weight::from_parts(30_000_000, 0)
	}
}
