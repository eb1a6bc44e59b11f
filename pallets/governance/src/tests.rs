//! Tests of root dispatch through real council motions.

use crate::{mock::*, Event};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo, weights::Weight},
	frame_system, pallet_collective,
	sp_runtime::{traits::BlakeTwo256, traits::Hash, DispatchError},
};

const KEY: &[u8] = b":ehr:test";

/// `system.set_storage`, a root-only call, writing `KEY`.
fn root_only_call() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::set_storage {
		items: vec![(KEY.to_vec(), b"set".to_vec())],
	})
}

fn dispatch_as_root(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Governance(crate::Call::dispatch_as_root { call: Box::new(call) })
}

/// Council member 1 proposes `proposal` with `threshold`, the first `ayes` members vote aye and
/// the others nay, then member 1 closes the motion. Returns the council's events of the motion.
fn motion(
	proposal: RuntimeCall,
	threshold: u32,
	ayes: usize,
) -> Vec<pallet_collective::Event<Test, pallet_collective::Instance1>> {
	let hash = BlakeTwo256::hash_of(&proposal);
	let len = proposal.encoded_size() as u32;
	let weight = proposal.get_dispatch_info().call_weight;
	let index = pallet_collective::ProposalCount::<Test, pallet_collective::Instance1>::get();
	System::reset_events();
	assert_ok!(Council::propose(RuntimeOrigin::signed(1), threshold, Box::new(proposal), len));
	if threshold > 1 {
		for (i, member) in COUNCIL.iter().enumerate() {
			assert_ok!(Council::vote(RuntimeOrigin::signed(*member), hash, index, i < ayes));
		}
		assert_ok!(Council::close(RuntimeOrigin::signed(1), hash, index, weight, len));
	}
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Council(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn executed_result(
	events: &[pallet_collective::Event<Test, pallet_collective::Instance1>],
) -> Option<Result<(), DispatchError>> {
	events.iter().find_map(|e| match e {
		pallet_collective::Event::Executed { result, .. } => Some(*result),
		_ => None,
	})
}

#[test]
fn three_quarters_of_the_council_dispatch_as_root() {
	new_test_ext().execute_with(|| {
		let inner = root_only_call();
		let call_hash = BlakeTwo256::hash_of(&inner);
		let events = motion(dispatch_as_root(inner), 3, 3);
		assert_eq!(executed_result(&events), Some(Ok(())));
		assert_eq!(polkadot_sdk::sp_io::storage::get(KEY).as_deref(), Some(&b"set"[..]));
		System::assert_has_event(Event::DispatchedAsRoot { call_hash }.into());
	});
}

#[test]
fn half_of_the_council_cannot_dispatch_as_root() {
	new_test_ext().execute_with(|| {
		// A motion proposed with a low threshold still executes, but with `Members(2, 4)`, which
		// is below 3/4: the dispatch is refused and nothing is written.
		let events = motion(dispatch_as_root(root_only_call()), 2, 2);
		assert_eq!(executed_result(&events), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(polkadot_sdk::sp_io::storage::get(KEY), None);

		// One member alone (threshold 1 executes at once with `Member`).
		let events = motion(dispatch_as_root(root_only_call()), 1, 1);
		assert_eq!(executed_result(&events), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(polkadot_sdk::sp_io::storage::get(KEY), None);
	});
}

#[test]
fn a_motion_without_enough_ayes_is_disapproved_and_nothing_runs() {
	new_test_ext().execute_with(|| {
		// Threshold 3 with only 2 ayes and 2 nays: the motion is disapproved, nothing runs.
		let events = motion(dispatch_as_root(root_only_call()), 3, 2);
		assert_eq!(executed_result(&events), None);
		assert!(events.iter().any(|e| matches!(e, pallet_collective::Event::Disapproved { .. })));
		assert_eq!(polkadot_sdk::sp_io::storage::get(KEY), None);
	});
}

#[test]
fn signed_accounts_cannot_dispatch_as_root() {
	new_test_ext().execute_with(|| {
		for who in [1, 99] {
			assert_noop!(
				Governance::dispatch_as_root(
					RuntimeOrigin::signed(who),
					Box::new(root_only_call())
				),
				DispatchError::BadOrigin
			);
		}
	});
}

#[test]
fn the_inner_error_is_the_result_and_nothing_is_written() {
	new_test_ext().execute_with(|| {
		// `system.applyAuthorizedUpgrade` with no upgrade authorised fails.
		let failing = || {
			RuntimeCall::System(frame_system::Call::apply_authorized_upgrade { code: vec![0; 8] })
		};
		assert_noop!(
			Governance::dispatch_as_root(RuntimeOrigin::root(), Box::new(failing()))
				.map_err(|e| e.error),
			frame_system::Error::<Test>::NothingAuthorized
		);
		// Through the council, the motion's `Executed` event carries the inner error.
		let events = motion(dispatch_as_root(failing()), 3, 3);
		assert_eq!(
			executed_result(&events),
			Some(Err(frame_system::Error::<Test>::NothingAuthorized.into()))
		);
		assert!(!System::events()
			.iter()
			.any(|r| matches!(r.event, RuntimeEvent::Governance(Event::DispatchedAsRoot { .. }))));
	});
}

#[test]
fn weight_is_the_overhead_plus_the_inner_call() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		let inner = root_only_call();
		let outer = dispatch_as_root(inner.clone());
		assert_eq!(
			outer.get_dispatch_info().call_weight,
			<() as WeightInfo>::dispatch_as_root()
				.saturating_add(inner.get_dispatch_info().call_weight)
		);
		assert!(outer.get_dispatch_info().call_weight.any_gt(Weight::zero()));
	});
}

mod session_length {
	use super::*;
	use crate::{Error, SessionLength, SessionLengthOf};
	use polkadot_sdk::{
		frame_support::traits::Get, sp_io::TestExternalities, sp_runtime::BuildStorage,
	};

	#[test]
	fn defaults_to_the_configured_length() {
		new_test_ext().execute_with(|| {
			assert_eq!(SessionLength::<Test>::get(), 600);
			assert_eq!(<SessionLengthOf<Test> as Get<u64>>::get(), 600);
		});
	}

	#[test]
	fn the_genesis_config_sets_it() {
		let storage = RuntimeGenesisConfig {
			governance: crate::GenesisConfig { session_length: Some(20) },
			..Default::default()
		}
		.build_storage()
		.unwrap_or_else(|e| panic!("genesis builds: {e}"));
		TestExternalities::new(storage).execute_with(|| {
			assert_eq!(<SessionLengthOf<Test> as Get<u64>>::get(), 20);
		});
	}

	#[test]
	#[should_panic(expected = "genesis sessionLength must lie between")]
	fn a_genesis_length_out_of_range_is_refused() {
		let _ = RuntimeGenesisConfig {
			governance: crate::GenesisConfig { session_length: Some(9) },
			..Default::default()
		}
		.build_storage();
	}

	#[test]
	fn governance_sets_it_within_bounds() {
		new_test_ext().execute_with(|| {
			assert_ok!(Governance::set_session_length(RuntimeOrigin::root(), 10));
			assert_eq!(<SessionLengthOf<Test> as Get<u64>>::get(), 10);
			System::assert_last_event(Event::SessionLengthSet { length: 10 }.into());
			assert_ok!(Governance::set_session_length(RuntimeOrigin::root(), 100_800));
			assert_eq!(SessionLength::<Test>::get(), 100_800);
		});
	}

	#[test]
	fn out_of_range_lengths_are_refused() {
		new_test_ext().execute_with(|| {
			for length in [0, 9, 100_801, u64::MAX] {
				assert_noop!(
					Governance::set_session_length(RuntimeOrigin::root(), length),
					Error::<Test>::SessionLengthOutOfRange
				);
			}
			assert_eq!(SessionLength::<Test>::get(), 600);
		});
	}

	#[test]
	fn only_its_origin_sets_it() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Governance::set_session_length(RuntimeOrigin::signed(1), 20),
				DispatchError::BadOrigin
			);
		});
	}
}

#[test]
fn try_state_holds_and_catches_a_session_length_out_of_bounds() {
	new_test_ext().execute_with(|| {
		assert!(Governance::do_try_state().is_ok());
		crate::SessionLength::<Test>::put(0);
		assert!(Governance::do_try_state().is_err());
	});
}
