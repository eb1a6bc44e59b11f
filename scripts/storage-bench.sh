#!/usr/bin/env bash
# Measures this chain's database weights: how long ehr-node takes to read and to write one storage
# item, over a database filled to a consortium's size, and writes them where the runtime and the
# performance report read them.
#
# Usage: scripts/storage-bench.sh [ITEMS]   (ITEMS: storage items added to the state, default 1,000,000)
#
# The runner is polkadot-sdk's `benchmark storage` inside ehr-node (polkadot-omni-node-lib's
# subcommand). It needs the client database's benchmarking hooks, so it runs in an ehr-node built
# with `--features runtime-benchmarks`, in a target directory of its own
# ($HOME/.cache/ehr-chain/storage-bench-target: a cold build takes about an hour on 2 cores, and
# nothing else needs it; the runtime WASM is not built into it, the chain spec carries it).
#
# Steps:
#   1. `ehr-node build-spec --chain dev --raw` from the release node (the runtime the chain runs);
#   2. scripts/storage_fill.py adds ITEMS items shaped like audit entries, records and grant lists;
#   3. `benchmark storage` twice over that state, batches of 10,000 writes (about a full block's):
#      `--mode import-block` (the collator's RocksDB: reading and writing every key) and
#      `--mode validate-block` (the relay-chain validators' re-execution over the block's proof,
#      100,000 random keys of the same state);
#   4. scripts/db_weights.py keeps both in docs/perf/storage.json and writes the larger of the two,
#      the average × 1.1, as `EhrDbWeight` (runtime/src/db_weights.rs).
# Then rerun scripts/perf_report.py. `EhrDbWeight` is not yet the runtime's `DbWeight` (the load
# test lost transactions with it: docs/PERFORMANCE.md, *Database weights*); once it is, rebuild
# the node and rerun scripts/load-test.sh after every run of this script.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ITEMS="${1:-1000000}"
[[ "$ITEMS" =~ ^[0-9]+$ ]] || die "ITEMS must be a number (usage: scripts/storage-bench.sh [ITEMS])"
BENCH_NODE_TARGET="${EHR_STORAGE_BENCH_TARGET:-$HOME/.cache/ehr-chain/storage-bench-target}"
BENCH_NODE="$BENCH_NODE_TARGET/release/ehr-node"
require_python "the storage benchmark"
[[ -x "$EHR_NODE_BIN" ]] || build_node

log "building ehr-node with runtime-benchmarks in $BENCH_NODE_TARGET (cold: about an hour)"
(cd "$EHR_ROOT" && CARGO_TARGET_DIR="$BENCH_NODE_TARGET" SKIP_EHR_RUNTIME_WASM_BUILD=1 \
	cargo build --release --locked -p ehr-node --features runtime-benchmarks) \
	|| die "building the benchmarking ehr-node failed"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$EHR_NODE_BIN" build-spec --chain dev --raw >"$WORK/dev.json" 2>/dev/null \
	|| die "ehr-node build-spec --chain dev --raw failed"
python3 "$EHR_ROOT/scripts/storage_fill.py" "$WORK/dev.json" "$WORK/filled.json" "$ITEMS" \
	|| die "filling the chain spec failed"

bench() { # mode output [extra arguments]
	log "benchmark storage --mode $1 over $ITEMS added items"
	"$BENCH_NODE" benchmark storage --chain "$WORK/filled.json" --base-path "$WORK/db" \
		--state-version 1 --batch-size 10000 --metric average --mul 1.1 "${@:3}" \
		--mode "$1" --template-path "$EHR_ROOT/scripts/db-weight-template.hbs" \
		--weight-path "$2" 2>&1 | tee "$2.log" | grep -E "Reading|Writing|Average|Median|Percentiles|Error|error" >&2 \
		|| true
	[[ -s "$2" ]] || die "benchmark storage --mode $1 wrote no result (log: see above)"
}
bench import-block "$WORK/import.json"
DB_BYTES="$(du -sb "$WORK/db" | cut -f1)"
# Validation runs each batch of 10,000 keys 20 times in the WASM executor: over every key that
# is half an hour on 2 cores, so it samples 100,000 random keys (10 batches) of the same trie.
bench validate-block "$WORK/validate.json" --keys-limit 100000

python3 "$EHR_ROOT/scripts/db_weights.py" --items "$ITEMS" --db-bytes "$DB_BYTES" \
	--import "$WORK/import.json" --validate "$WORK/validate.json" \
	|| die "writing the database weights failed"
python3 "$EHR_ROOT/scripts/perf_report.py" || die "regenerating docs/PERFORMANCE.md failed"
log "database weights written: runtime/src/db_weights.rs, docs/perf/storage.json, docs/PERFORMANCE.md"
