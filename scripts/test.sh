#!/usr/bin/env bash
# Sets up the machine and runs every test: the Rust workspace tests (runtime integration tests,
# the WASM executor test, node tests) and the end-to-end tests through polkadot.js against a live
# `ehr-node --dev`. Exits non-zero as soon as a suite fails.
set -euo pipefail
# The set-up (sourced by common.sh) also installs Chromium for the web app's browser test.
export EHR_WITH_BROWSER=1
source "$(dirname "$0")/common.sh"

require_node "the end-to-end tests"
require_python "the performance report and the consortium and network specs"
cargo fmt --version >/dev/null 2>&1 ||
	die "rustfmt is needed for the format check: 'rustup component add rustfmt' (or your distribution's rustfmt package)"

cd "$EHR_ROOT"
log "cargo fmt --check"
cargo fmt --all --check || die "code is not formatted: run 'cargo fmt --all'"
"$EHR_ROOT/scripts/lint.sh"

log "cargo test (release profile, shared with the node build)"
cargo test --release --locked --workspace

# The runtime's integration tests once more with `try-runtime`: each ends with `try_state` of every
# pallet of the runtime (`AllPalletsWithSystem`), not only the EHR pallets'. Its own target
# directory, since the feature changes every FRAME crate; no WASM (`SKIP_WASM_BUILD`), so the
# one test that needs the runtime blob is skipped here (it ran above).
log "cargo test --features try-runtime (runtime tests with every pallet's try_state; 500 fuzz sequences)"
EHR_FUZZ_RUNS="${EHR_FUZZ_RUNS:-500}" CARGO_TARGET_DIR="$HOME/.cache/ehr-chain/try-target" SKIP_WASM_BUILD=1 \
	cargo test --release --locked -p ehr-runtime --features try-runtime \
	--test security --test governance --test ehr --test executive --test sponsor --test fuzz --test xcm \
	--test snapshot -- --skip a_council_supermajority_upgrades_the_runtime_without_sudo

# The benchmarks as tests, on the pallets' own test runtimes. The feature changes how the SDK
# crates are built, so this compiles them once more (and caches them next to the rest).
log "cargo test --features runtime-benchmarks (the pallets' benchmarks, as tests)"
cargo test --release --locked -p ehr-primitives -p pallet-ehr-identity -p pallet-ehr-consent \
	-p pallet-ehr-audit -p pallet-ehr-records -p pallet-ehr-governance -p pallet-ehr-sponsor \
	--features runtime-benchmarks --lib

# The benchmarks on the real runtime WASM, through `ehr-node benchmark pallet`, 2 steps and 2
# repeats: a smoke test of scripts/benchmark.sh (the weights are not kept). Then the report must
# be what the committed weight files and load-test result generate.
log "scripts/benchmark.sh --quick (every benchmark on the real runtime)"
"$EHR_ROOT/scripts/benchmark.sh" --quick
log "docs/PERFORMANCE.md is up to date"
python3 "$EHR_ROOT/scripts/perf_report.py" --check
log "runtime/src/db_weights.rs is what docs/perf/storage.json measured"
python3 "$EHR_ROOT/scripts/db_weights.py" --check

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

# try-runtime on a live chain's state: a dev node used as the load test uses it, its state
# exported (`ehr-node export-state`) with the block that follows, then the runtime's
# `TryRuntime::on_runtime_upgrade` with every check on it and `execute_block` of that block
# (runtime/tests/snapshot.rs, built by the try-runtime step above; its tests are ignored there
# because they need the snapshot).
log "try-runtime: on_runtime_upgrade with every check against a snapshot of a live dev chain"
snapshot_dir="$(mktemp -d)"
EHR_NODE="$EHR_NODE_BIN" node tools/snapshot.js "$snapshot_dir"
(cd "$EHR_ROOT" && EHR_SNAPSHOT="$snapshot_dir" \
	CARGO_TARGET_DIR="$HOME/.cache/ehr-chain/try-target" SKIP_WASM_BUILD=1 \
	cargo test --release --locked -p ehr-runtime --features try-runtime --test snapshot -- --include-ignored)
rm -rf "$snapshot_dir"

# The parachain on a relay chain: two relay validators (ehr-relay), collators and a full node
# started by zombienet, as scripts/network.sh starts them. The first run builds the relay runtime
# WASM (scripts/relay.sh, about 35 minutes cold), later runs reuse it.
log "network test: relay chain, collators, governance and an upgrade on a live network"
EHR_NODE="$EHR_NODE_BIN" npm run test:network
log "all tests passed"
