//! The runtime's database weights: what one storage read and one storage write cost, measured
//! on this chain's node by `scripts/storage-bench.sh`. Generated from `docs/perf/storage.json`
//! by `scripts/db_weights.py`: do not edit, rerun the script.
//!
//! Method: polkadot-sdk's `benchmark storage` (64.0.0) in `ehr-node`, 2026-12-03 (Y/M/D),
//! CPU `Intel(R) Xeon(R) Processor`, over the development chain's state with 1_000_000 items added
//! (`scripts/storage_fill.py`: audit-entry, record and grant-list sized values under map-shaped
//! keys), a RocksDB database of 570 MB, state version 1, batches of
//! 10_000 writes, the average of every access × 1.1:
//!
//! | | read (ns) | write (ns) |
//! |---|---:|---:|
//! | block import (the collator's RocksDB) | 42_830 | 81_254 |
//! | block validation (over the block's proof, as relay-chain validators run it) | 13_777 | 33_184 |
//!
//! A block must fit both, so each constant is the larger: the read from block import, the
//! write from block import. polkadot-sdk's default `RocksDbWeight` (25 µs a read, 100 µs a
//! write) is what `docs/PERFORMANCE.md` compares with.

use polkadot_sdk::frame_support::{
	parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_NANOS, RuntimeDbWeight},
};

parameter_types! {
	/// This chain's database weights, measured (see the module documentation): the runtime's
	/// `frame_system::Config::DbWeight`.
	pub const EhrDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		read: 42_830 * WEIGHT_REF_TIME_PER_NANOS,
		write: 81_254 * WEIGHT_REF_TIME_PER_NANOS,
	};
}
