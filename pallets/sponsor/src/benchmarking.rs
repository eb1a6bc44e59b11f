//! Benchmarks of the sponsor pallet: the overhead of a sponsored dispatch, measured around the
//! cheapest target call (`system.remark` with an empty remark) with the weightless extension
//! `pallet_meta_tx` benchmarks with. The call's weight adds the target call's and the real
//! extensions' weights to it.

use super::*;
use alloc::{boxed::Box, vec};
use codec::Encode;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_system::{self, RawOrigin},
	pallet_meta_tx::{self, MetaTxFor},
};

#[benchmarks(where <T as pallet_meta_tx::Config>::Extension: Default)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn dispatch() {
		let call: <T as frame_system::Config>::RuntimeCall =
			frame_system::Call::<T>::remark { remark: vec![] }.into();
		let meta_tx = MetaTxFor::<T>::new(call, 0u8, Default::default());
		let len = meta_tx.encoded_size() as u32;
		let sponsor: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(sponsor), Box::new(meta_tx), len);

		assert!(!CurrentSponsor::<T>::exists());
	}

	impl_benchmark_test_suite!(Pallet, mock::new_test_ext(), mock::Test);
}
