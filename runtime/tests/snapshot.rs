//! try-runtime against a snapshot of a live dev chain: the runtime's `TryRuntime` API runs
//! `on_runtime_upgrade` with every check (each migration's `pre_upgrade`/`post_upgrade`, the
//! entire state decoding, every pallet's `try_state`) on the state a real `ehr-node --dev` wrote
//! while clinics, patients and providers used it.
//!
//! The snapshot is the raw chain spec `ehr-node export-state` writes; `e2e/tools/snapshot.js`
//! makes one (it starts a dev node, drives every EHR pallet through polkadot.js, stops the node
//! and exports its finalized state), and `scripts/test.sh` runs these tests on it:
//!
//! ```sh
//! node e2e/tools/snapshot.js /tmp/dev-state.json
//! EHR_SNAPSHOT=/tmp/dev-state.json cargo test --release -p ehr-runtime --features try-runtime \
//!     --test snapshot -- --include-ignored
//! ```
//!
//! The tests are `#[ignore]`d so that a plain `cargo test` without a snapshot does not report a
//! pass it did not earn; with `--include-ignored` and no `EHR_SNAPSHOT` they fail.
#![cfg(feature = "try-runtime")]

use ehr_runtime::{Block, Runtime, VERSION};
use polkadot_sdk::{
	frame_support::traits::UpgradeCheckSelect,
	frame_system,
	frame_try_runtime::runtime_decl_for_try_runtime::TryRuntimeV1,
	sc_chain_spec::GenericChainSpec,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The snapshot's state, loaded from the file `EHR_SNAPSHOT` names.
fn snapshot() -> TestExternalities {
	let path = std::env::var("EHR_SNAPSHOT").unwrap_or_else(|_| {
		panic!(
			"EHR_SNAPSHOT is not set: make a snapshot with `node e2e/tools/snapshot.js FILE` \
			 and pass its path"
		)
	});
	let spec = <GenericChainSpec>::from_json_file(path.clone().into())
		.unwrap_or_else(|e| panic!("{path} is not a chain spec: {e}"));
	let storage = spec.build_storage().unwrap_or_else(|e| panic!("{path}: {e}"));
	assert!(!storage.top.is_empty(), "{path} holds no raw state");
	TestExternalities::new(storage)
}

/// What the snapshot must hold for the checks to mean something: a chain that ran for a while
/// and has state in every EHR pallet, with deposits held.
fn assert_lived_in() {
	let at = frame_system::Pallet::<Runtime>::block_number();
	assert!(at >= 10, "the snapshot is of block {at}: not a chain that was used");
	let count = |n: usize, what: &str| {
		assert!(n > 0, "the snapshot has no {what}");
		n
	};
	let patients = count(pallet_ehr_identity::Patients::<Runtime>::iter().count(), "patients");
	count(pallet_ehr_identity::Providers::<Runtime>::iter().count(), "accredited providers");
	count(pallet_ehr_identity::Organisations::<Runtime>::iter().count(), "organisations");
	let grants = count(pallet_ehr_consent::Grants::<Runtime>::iter().count(), "consent grants");
	let records = count(pallet_ehr_records::Records::<Runtime>::iter().count(), "records");
	let entries = count(pallet_ehr_audit::Entries::<Runtime>::iter().count(), "audit entries");
	count(pallet_ehr_audit::Trails::<Runtime>::iter().count(), "audit trails");
	println!(
		"snapshot at block {at}: {patients} patients, {grants} (patient, grantee) grant lists, \
		 {records} records, {entries} audit entries"
	);
}

#[test]
#[ignore = "needs EHR_SNAPSHOT, a state exported from a live dev chain (see the crate doc)"]
fn on_runtime_upgrade_with_every_check_passes_on_a_live_dev_chain() {
	snapshot().execute_with(|| {
		assert_lived_in();
		let (weight, max_block) = <Runtime as TryRuntimeV1<Block>>::on_runtime_upgrade(
			UpgradeCheckSelect::All,
		);
		assert!(
			weight.all_lte(max_block),
			"the upgrade's migrations weigh {weight:?}, more than a block ({max_block:?})"
		);
		let last = frame_system::LastRuntimeUpgrade::<Runtime>::get()
			.expect("on_runtime_upgrade records the version it upgraded to");
		assert_eq!(last.spec_version.0, VERSION.spec_version);
	});
}

/// The same checks have teeth on the same state: one consent grant removed from storage behind
/// the pallet's back (its index entry and held deposit left as they were) fails the upgrade.
#[test]
#[ignore = "needs EHR_SNAPSHOT, a state exported from a live dev chain (see the crate doc)"]
fn on_runtime_upgrade_fails_on_the_snapshot_with_a_grant_removed_behind_the_pallets_back() {
	let failure = catch_unwind(AssertUnwindSafe(|| {
		snapshot().execute_with(|| {
			let (patient, grantee, _) = pallet_ehr_consent::Grants::<Runtime>::iter()
				.next()
				.expect("the snapshot has a grant");
			pallet_ehr_consent::Grants::<Runtime>::remove(patient, grantee);
			<Runtime as TryRuntimeV1<Block>>::on_runtime_upgrade(UpgradeCheckSelect::All)
		})
	}))
	.expect_err("try_state must catch a grant removed behind the pallet's back");
	let message = failure
		.downcast_ref::<String>()
		.cloned()
		.or_else(|| failure.downcast_ref::<&str>().map(|s| s.to_string()))
		.unwrap_or_default();
	assert!(
		message.starts_with("try-runtime: on_runtime_upgrade failed") && message.contains("try_state"),
		"unexpected panic: {message}"
	);
	println!("{message}");
}
