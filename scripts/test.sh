#!/usr/bin/env bash
# Sets up the machine and runs every test: the Rust workspace tests (runtime integration tests,
# the WASM executor test, node tests) and the end-to-end tests through polkadot.js against a live
# `ehr-node --dev`. Exits non-zero as soon as a suite fails.
set -euo pipefail
source "$(dirname "$0")/common.sh"

command -v node >/dev/null 2>&1 || die "Node.js 20+ is needed for the end-to-end tests (apt-get install nodejs npm)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js 20+ is needed for the end-to-end tests, found $(node --version)"

cd "$EHR_ROOT"
log "cargo fmt --check"
cargo fmt --all --check || die "code is not formatted: run 'cargo fmt --all'"

log "cargo test (release profile, shared with the node build)"
cargo test --release --locked --workspace

# The benchmarks as tests, on the pallets' own test runtimes. The feature changes how the SDK
# crates are built, so this compiles them once more (and caches them next to the rest).
log "cargo test --features runtime-benchmarks (the pallets' benchmarks, as tests)"
cargo test --release --locked -p ehr-primitives -p pallet-ehr-identity -p pallet-ehr-consent \
	-p pallet-ehr-audit -p pallet-ehr-records -p pallet-ehr-governance --features runtime-benchmarks --lib

# The benchmarks on the real runtime WASM, through `ehr-node benchmark pallet`, 2 steps and 2
# repeats: a smoke test of scripts/benchmark.sh (the weights are not kept). Then the report must
# be what the committed weight files and load-test result generate.
log "scripts/benchmark.sh --quick (every benchmark on the real runtime)"
"$EHR_ROOT/scripts/benchmark.sh" --quick
log "docs/PERFORMANCE.md is up to date"
python3 "$EHR_ROOT/scripts/perf_report.py" --check

# `cargo test` above already built the node binary for the node's integration tests; building it
# again with `-p ehr-node` would resolve other features and recompile the runtime and the node.
[ -x "$EHR_NODE_BIN" ] || die "cargo test did not produce $EHR_NODE_BIN"

log "end-to-end tests through polkadot.js against a live ehr-node --dev"
cd "$EHR_ROOT/e2e"
# The versions come from package-lock.json. Not `npm ci`: the lock has no entries for the other
# platforms' optional binaries of rollup and esbuild (used by the papi CLI's codegen), because the
# registry these machines reach serves only this platform's, and `npm ci` refuses such a lock.
# `npm install --no-save` installs the locked versions and leaves the lock as it is.
npm install --no-save --no-audit --no-fund --loglevel=error
EHR_NODE="$EHR_NODE_BIN" npm test
log "all tests passed"
