//! Benchmarks of the governance pallet: the overhead of a root dispatch, measured around the
//! cheapest root call (`system.remark` with an empty remark), whose own weight the call adds;
//! and setting the session length (one write).

use super::*;
use alloc::{boxed::Box, vec};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{EnsureOrigin, Get},
	frame_system,
	sp_runtime::traits::Hash,
};

#[benchmarks(where <T as Config>::RuntimeCall: From<frame_system::Call<T>>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn dispatch_as_root() -> Result<(), BenchmarkError> {
		let origin =
			T::RootOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let call: <T as Config>::RuntimeCall =
			frame_system::Call::<T>::remark { remark: vec![] }.into();
		let call_hash = <T as frame_system::Config>::Hashing::hash_of(&call);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Box::new(call));

		frame_system::Pallet::<T>::assert_last_event(
			<T as Config>::RuntimeEvent::from(Event::<T>::DispatchedAsRoot { call_hash }).into(),
		);
		Ok(())
	}

	#[benchmark]
	fn set_session_length() -> Result<(), BenchmarkError> {
		let origin =
			T::SessionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let length = T::MaxSessionLength::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, length);

		assert_eq!(SessionLength::<T>::get(), length);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, mock::new_test_ext(), mock::Test);
}
