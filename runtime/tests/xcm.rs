//! XCM at the chain's door, one test per filter of `configs/xcm_config.rs`: a signed account
//! can neither execute XCM locally, nor teleport, nor reserve-transfer, nor authorise an alias;
//! no location can alias another; the relay chain's unpaid execution (its governance) works and
//! a sibling's does not.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod common;

use common::{account, ext_from_preset, signed, BlockBuilder, ExecuteChecked};
use ehr_runtime::{configs::xcm_config::XcmConfig, Runtime, RuntimeCall, RuntimeEvent};
use polkadot_sdk::{
	frame_support::weights::Weight,
	frame_system, pallet_xcm,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring::{Alice, Eve},
	sp_runtime::{ApplyExtrinsicResult, DispatchError},
	staging_xcm::{
		latest::prelude::*, DoubleEncoded, VersionedAssets, VersionedLocation, VersionedXcm,
	},
	staging_xcm_executor::XcmExecutor,
};

type PalletXcmError = pallet_xcm::Error<Runtime>;

/// Eve signs `calls` (from nonce 0) in one block; their results.
fn as_eve(calls: Vec<RuntimeCall>) -> Vec<ApplyExtrinsicResult> {
	let mut builder = BlockBuilder::default();
	let xts = calls
		.into_iter()
		.zip(0u32..)
		.map(|(call, nonce)| signed(call, Eve, nonce))
		.collect();
	builder.build(xts).1
}

fn sibling() -> Location {
	Location::new(1, [Parachain(2000)])
}

/// What a transfer call needs: 1 unit of the chain's own token to Alice on the relay chain.
fn transfer_args() -> (Box<VersionedLocation>, Box<VersionedLocation>, Box<VersionedAssets>) {
	let beneficiary: Location = AccountId32 { network: None, id: account(Alice).into() }.into();
	let assets: Assets = (Here, 1_000_000_000_000u128).into();
	(
		Box::new(VersionedLocation::from(Location::parent())),
		Box::new(VersionedLocation::from(beneficiary)),
		Box::new(VersionedAssets::from(assets)),
	)
}

/// The failed dispatch's error, or a panic naming what happened instead.
fn refused_with(result: ApplyExtrinsicResult) -> DispatchError {
	match result {
		Ok(Err(e)) => e,
		other => panic!("expected a refused dispatch, got {other:?}"),
	}
}

#[test]
fn xcm_execute_from_a_signed_account_is_refused() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let message = Xcm::<RuntimeCall>(vec![ClearOrigin]);
		let results = as_eve(vec![RuntimeCall::PolkadotXcm(pallet_xcm::Call::execute {
			message: Box::new(VersionedXcm::from(message)),
			max_weight: Weight::from_parts(1_000_000_000, 64 * 1024),
		})]);
		let e = refused_with(results[0]);
		assert_eq!(e, DispatchError::from(PalletXcmError::Filtered), "XcmExecuteFilter = Nothing");
	});
}

#[test]
fn teleports_are_refused() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let (dest, beneficiary, assets) = transfer_args();
		let calls = vec![
			pallet_xcm::Call::teleport_assets {
				dest: dest.clone(),
				beneficiary: beneficiary.clone(),
				assets: assets.clone(),
				fee_asset_item: 0,
			},
			pallet_xcm::Call::limited_teleport_assets {
				dest: dest.clone(),
				beneficiary: beneficiary.clone(),
				assets: assets.clone(),
				fee_asset_item: 0,
				weight_limit: Unlimited,
			},
		];
		for result in as_eve(calls.into_iter().map(RuntimeCall::PolkadotXcm).collect()) {
			let e = refused_with(result);
			assert_eq!(
				e,
				DispatchError::from(PalletXcmError::Filtered),
				"XcmTeleportFilter = Nothing"
			);
		}
	});
}

#[test]
fn reserve_transfers_are_refused() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let (dest, beneficiary, assets) = transfer_args();
		let calls = vec![
			pallet_xcm::Call::reserve_transfer_assets {
				dest: dest.clone(),
				beneficiary: beneficiary.clone(),
				assets: assets.clone(),
				fee_asset_item: 0,
			},
			pallet_xcm::Call::limited_reserve_transfer_assets {
				dest: dest.clone(),
				beneficiary: beneficiary.clone(),
				assets: assets.clone(),
				fee_asset_item: 0,
				weight_limit: Unlimited,
			},
			pallet_xcm::Call::transfer_assets {
				dest: dest.clone(),
				beneficiary: beneficiary.clone(),
				assets: assets.clone(),
				fee_asset_item: 0,
				weight_limit: Unlimited,
			},
		];
		let errors: Vec<DispatchError> =
			as_eve(calls.into_iter().map(RuntimeCall::PolkadotXcm).collect())
				.into_iter()
				.map(refused_with)
				.collect();
		// XcmReserveTransferFilter = Nothing refuses the two reserve transfers; `transfer_assets`
		// picks the transfer type itself and is refused by the same filter.
		assert_eq!(errors, vec![DispatchError::from(PalletXcmError::Filtered); 3]);
		assert_eq!(
			frame_system::Pallet::<Runtime>::account(account(Eve)).data.free,
			ehr_runtime::genesis_config_presets::DEV_ENDOWMENT
				- frame_system::Pallet::<Runtime>::events()
					.iter()
					.filter_map(|r| match &r.event {
						RuntimeEvent::TransactionPayment(
							polkadot_sdk::pallet_transaction_payment::Event::TransactionFeePaid {
								actual_fee,
								..
							},
						) => Some(*actual_fee),
						_ => None,
					})
					.sum::<u128>(),
			"nothing but the fees left Eve's account"
		);
	});
}

#[test]
fn no_location_can_alias_another() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		// Even the relay chain, whose unpaid execution is allowed, cannot alias (Aliasers =
		// Nothing).
		let target: Location = AccountId32 { network: None, id: account(Alice).into() }.into();
		let message = Xcm::<RuntimeCall>(vec![
			UnpaidExecution { weight_limit: Unlimited, check_origin: None },
			AliasOrigin(target),
		]);
		let mut id = [0u8; 32];
		let outcome = XcmExecutor::<XcmConfig>::prepare_and_execute(
			Location::parent(),
			message,
			&mut id,
			Weight::from_parts(10_000_000_000, 1024 * 1024),
			Weight::zero(),
		);
		match outcome {
			Outcome::Incomplete { error, .. } => assert_eq!(error.error, XcmError::NoPermission),
			other => panic!("AliasOrigin should fail with NoPermission: {other:?}"),
		}
	});
}

/// A `Transact` of `system.remark_with_event` as the origin's sovereign account.
fn remark_as_sovereign() -> Xcm<RuntimeCall> {
	let call =
		RuntimeCall::System(frame_system::Call::remark_with_event { remark: b"relay".to_vec() });
	Xcm(vec![
		UnpaidExecution { weight_limit: Unlimited, check_origin: None },
		Transact {
			origin_kind: OriginKind::SovereignAccount,
			fallback_max_weight: None,
			call: DoubleEncoded::from(codec::Encode::encode(&call)),
		},
	])
}

#[test]
fn the_relay_chains_unpaid_execution_works_and_a_siblings_is_refused() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		frame_system::Pallet::<Runtime>::set_block_number(1);
		let limit = Weight::from_parts(10_000_000_000, 1024 * 1024);
		let mut id = [0u8; 32];
		let outcome = XcmExecutor::<XcmConfig>::prepare_and_execute(
			Location::parent(),
			remark_as_sovereign(),
			&mut id,
			limit,
			Weight::zero(),
		);
		assert!(
			matches!(outcome, Outcome::Complete { .. }),
			"the relay chain's message: {outcome:?}"
		);
		assert!(
			frame_system::Pallet::<Runtime>::events().iter().any(|r| matches!(
				r.event,
				RuntimeEvent::System(frame_system::Event::Remarked { .. })
			)),
			"the remark ran"
		);

		frame_system::Pallet::<Runtime>::reset_events();
		let outcome = XcmExecutor::<XcmConfig>::prepare_and_execute(
			sibling(),
			remark_as_sovereign(),
			&mut id,
			limit,
			Weight::zero(),
		);
		match outcome {
			Outcome::Error(e) | Outcome::Incomplete { error: e, .. } => {
				assert_eq!((e.index, e.error), (0, XcmError::Barrier))
			},
			other => panic!("a sibling's unpaid execution should stop at the barrier: {other:?}"),
		}
		assert!(frame_system::Pallet::<Runtime>::events().is_empty(), "nothing ran");
	});
}
