#!/usr/bin/env python3
"""Turns two `benchmark storage` results into the runtime's database weights.

Usage: db_weights.py --items N --db-bytes B --import IMPORT.json --validate VALIDATE.json
       db_weights.py --check   (fail if runtime/src/db_weights.rs does not say what
                                docs/perf/storage.json measured)

IMPORT.json and VALIDATE.json are what `ehr-node benchmark storage` wrote through
scripts/db-weight-template.hbs, in `--mode import-block` (the collator's RocksDB) and
`--mode validate-block` (re-execution over the block's proof, as relay-chain validators do).
A block must fit both: each constant is the larger of the two measured weights (each already the
average × 1.1). Writes docs/perf/storage.json (both measurements, the database's size) and
runtime/src/db_weights.rs (`EhrDbWeight`, the runtime's `DbWeight`).
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORAGE_JSON = ROOT / "docs/perf/storage.json"
RUNTIME_RS = ROOT / "runtime/src/db_weights.rs"


def chosen(data):
    """(read ns, write ns, which measurement decided each)."""
    imp, val = data["import_block"], data["validate_block"]
    read = max((imp["read_weight_ns"], "import_block"), (val["read_weight_ns"], "validate_block"))
    write = max((imp["write_weight_ns"], "import_block"),
                (val["write_weight_ns"], "validate_block"))
    return read, write


def underscore(n):
    return f"{n:_}"


def runtime_file(data):
    (read, read_from), (write, write_from) = chosen(data)
    imp, val = data["import_block"], data["validate_block"]
    mode = {"import_block": "block import", "validate_block": "block validation"}
    return f"""//! The runtime's database weights: what one storage read and one storage write cost, measured
//! on this chain's node by `scripts/storage-bench.sh`. Generated from `docs/perf/storage.json`
//! by `scripts/db_weights.py`: do not edit, rerun the script.
//!
//! Method: polkadot-sdk's `benchmark storage` ({imp["cli_version"]}) in `ehr-node`, {imp["date"]},
//! CPU `{imp["cpu"]}`, over the development chain's state with {data["items"]:_} items added
//! (`scripts/storage_fill.py`: audit-entry, record and grant-list sized values under map-shaped
//! keys), a RocksDB database of {data["db_bytes"] / 1e6:.0f} MB, state version 1, batches of
//! {imp["batch_size"]:_} writes, the average of every access × {imp["mul"]}:
//!
//! | | read (ns) | write (ns) |
//! |---|---:|---:|
//! | block import (the collator's RocksDB) | {underscore(imp["read_weight_ns"])} | {underscore(imp["write_weight_ns"])} |
//! | block validation (over the block's proof, as relay-chain validators run it) | {underscore(val["read_weight_ns"])} | {underscore(val["write_weight_ns"])} |
//!
//! A block must fit both, so each constant is the larger: the read from {mode[read_from]}, the
//! write from {mode[write_from]}. polkadot-sdk's default `RocksDbWeight` (25 µs a read, 100 µs a
//! write) is what `docs/PERFORMANCE.md` compares with.

use polkadot_sdk::frame_support::{{
	parameter_types,
	weights::{{constants::WEIGHT_REF_TIME_PER_NANOS, RuntimeDbWeight}},
}};

parameter_types! {{
	/// This chain's database weights, measured (see the module documentation): the runtime's
	/// `frame_system::Config::DbWeight`.
	pub const EhrDbWeight: RuntimeDbWeight = RuntimeDbWeight {{
		read: {underscore(read)} * WEIGHT_REF_TIME_PER_NANOS,
		write: {underscore(write)} * WEIGHT_REF_TIME_PER_NANOS,
	}};
}}
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int)
    parser.add_argument("--db-bytes", type=int)
    parser.add_argument("--import", dest="import_path")
    parser.add_argument("--validate", dest="validate_path")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        data = json.loads(STORAGE_JSON.read_text())
        if RUNTIME_RS.read_text() != runtime_file(data):
            sys.exit(f"{RUNTIME_RS.relative_to(ROOT)} does not match "
                     f"{STORAGE_JSON.relative_to(ROOT)}: run scripts/db_weights.py on it")
        return
    if None in (args.items, args.db_bytes, args.import_path, args.validate_path):
        sys.exit(__doc__)
    data = {
        "items": args.items,
        "db_bytes": args.db_bytes,
        "import_block": json.loads(Path(args.import_path).read_text()),
        "validate_block": json.loads(Path(args.validate_path).read_text()),
    }
    for mode in ("import_block", "validate_block"):
        for key in ("read_weight_ns", "write_weight_ns"):
            if not data[mode][key] > 0:
                sys.exit(f"{mode}: no {key} measured")
    STORAGE_JSON.write_text(json.dumps(data, indent=2) + "\n")
    RUNTIME_RS.write_text(runtime_file(data))


if __name__ == "__main__":
    main()
