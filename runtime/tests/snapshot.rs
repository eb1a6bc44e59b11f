//! try-runtime against a snapshot of a live dev chain: the runtime's `TryRuntime` API runs
//! `on_runtime_upgrade` with every check (each migration's `pre_upgrade`/`post_upgrade`, the
//! entire state decoding, every pallet's `try_state`) on the state a real `ehr-node --dev` wrote
//! while clinics, patients and providers used it, and `execute_block` replays the node's next
//! block on that state, to the state root the node wrote in its header.
//!
//! The snapshot is a directory `e2e/tools/snapshot.js` writes (it starts a dev node, drives every
//! EHR pallet through polkadot.js, stops the node): `state.json`, the raw chain spec
//! `ehr-node export-state` made of a block's parent state, and `block.scale`, that block.
//! `scripts/test.sh` runs these tests on it:
//!
//! ```sh
//! node e2e/tools/snapshot.js /tmp/snapshot
//! EHR_SNAPSHOT=/tmp/snapshot cargo test --release -p ehr-runtime --features try-runtime \
//!     --test snapshot -- --include-ignored
//! ```
//!
//! The tests are `#[ignore]`d so that a plain `cargo test` without a snapshot does not report a
//! pass it did not earn; with `--include-ignored` and no `EHR_SNAPSHOT` they fail.
#![cfg(feature = "try-runtime")]
// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use codec::Decode;
use ehr_runtime::{Block, Runtime, VERSION};
use polkadot_sdk::{
	frame_support::traits::{TryStateSelect, UpgradeCheckSelect},
	frame_system,
	frame_try_runtime::runtime_decl_for_try_runtime::TryRuntimeV1,
	sc_chain_spec::GenericChainSpec,
	sp_core::{storage::well_known_keys::CODE, Blake2Hasher},
	sp_io::TestExternalities,
	sp_runtime::{traits::Block as BlockT, BuildStorage, DigestItem},
	sp_trie::{proof_size_extension::ProofSizeExt, recorder::Recorder},
};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The snapshot's directory, `EHR_SNAPSHOT`.
fn snapshot_dir() -> std::path::PathBuf {
	std::env::var("EHR_SNAPSHOT")
		.unwrap_or_else(|_| {
			panic!(
				"EHR_SNAPSHOT is not set: make a snapshot with `node e2e/tools/snapshot.js DIR` \
				 and pass DIR"
			)
		})
		.into()
}

/// The snapshot's state (`state.json`).
fn snapshot() -> TestExternalities {
	let path = snapshot_dir().join("state.json");
	let spec = <GenericChainSpec>::from_json_file(path.clone())
		.unwrap_or_else(|e| panic!("{} is not a chain spec: {e}", path.display()));
	let storage = spec.build_storage().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
	// `TestExternalities::new` would overwrite `:code` with nothing, and the replayed block's
	// state root would then differ from the node's by that one key.
	let code = storage.top.get(CODE).cloned().unwrap_or_default();
	assert!(!code.is_empty(), "{} holds no runtime code: not a chain's state", path.display());
	TestExternalities::new_with_code(&code, storage)
}

/// The block that follows the snapshot's state (`block.scale`), as the runtime API takes it.
fn next_block() -> <Block as BlockT>::LazyBlock {
	let path = snapshot_dir().join("block.scale");
	let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
	<Block as BlockT>::LazyBlock::decode(&mut &bytes[..])
		.unwrap_or_else(|e| panic!("{} is not a block: {e}", path.display()))
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
		let (weight, max_block) =
			<Runtime as TryRuntimeV1<Block>>::on_runtime_upgrade(UpgradeCheckSelect::All);
		assert!(
			weight.all_lte(max_block),
			"the upgrade's migrations weigh {weight:?}, more than a block ({max_block:?})"
		);
		let last = frame_system::LastRuntimeUpgrade::<Runtime>::get()
			.expect("on_runtime_upgrade records the version it upgraded to");
		assert_eq!(last.spec_version.0, VERSION.spec_version);
	});
}

#[test]
#[ignore = "needs EHR_SNAPSHOT, a state exported from a live dev chain (see the crate doc)"]
fn execute_block_replays_the_nodes_next_block_to_its_state_root() {
	let mut block = next_block();
	let number = block.header.number;
	let signed = block.extrinsics.len().saturating_sub(2);
	assert!(signed > 0, "block {number} has no signed extrinsic");
	// A sealed block's last digest item is the author's seal, added after execution; a dev
	// node's instant-seal blocks have none. Executing must not see it.
	if matches!(block.header.digest.logs.last(), Some(DigestItem::Seal(..))) {
		block.header.digest.logs.pop();
	}
	// The node built the block with a proof recorder on its trie, as every collator does, and the
	// runtime's weight reclaim read it (the weights in the block's events come from it): the
	// replay records on the same trie.
	let recorder: Recorder<Blake2Hasher> = Default::default();
	let mut ext = snapshot();
	ext.register_extension(ProofSizeExt::new(recorder.clone()));
	ext.execute_with_recorder(recorder, || {
		assert_eq!(frame_system::Pallet::<Runtime>::block_number() + 1, number);
		// The state root and the signatures are checked; every pallet's `try_state` after.
		let weight =
			<Runtime as TryRuntimeV1<Block>>::execute_block(block, true, true, TryStateSelect::All);
		assert_eq!(frame_system::Pallet::<Runtime>::block_number(), number);
		println!("block {number} ({signed} signed extrinsics) replayed, weight {weight:?}");
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
		message.starts_with("try-runtime: on_runtime_upgrade failed")
			&& message.contains("try_state"),
		"unexpected panic: {message}"
	);
	println!("{message}");
}
