#!/usr/bin/env bash
# The runtime fuzzer for long runs: cargo-fuzz (libFuzzer, no sanitizer, on stable Rust) on the
# harness the seeded test `runtime/tests/fuzz.rs` runs in the test command.
#
#   scripts/fuzz.sh [SECONDS]        fuzz for SECONDS (default 600); corpus kept in
#                                    $HOME/.cache/ehr-chain/fuzz-corpus, crashes in
#                                    runtime/fuzz/artifacts/runtime/
#   scripts/fuzz.sh --replay FILE    rerun one input (a crash) with its panic message
#
# cargo-fuzz 0.13.2 is installed once into $HOME/.cache/ehr-chain/tools (about 3 min); the
# instrumented build has its own target directory, $HOME/.cache/ehr-chain/fuzz-target (20-30 min
# cold, 1-2 min after a change of the harness or the runtime). The runtime is built natively
# (SKIP_WASM_BUILD): the fuzzer runs the native runtime, as the seeded test does.
set -euo pipefail
source "$(dirname "$0")/common.sh"

cargo_tool cargo-fuzz 0.13.2 >/dev/null
export PATH="$EHR_TOOLS/bin:$PATH"
export CARGO_TARGET_DIR="$HOME/.cache/ehr-chain/fuzz-target"
export SKIP_WASM_BUILD=1
CORPUS="$HOME/.cache/ehr-chain/fuzz-corpus"
mkdir -p "$CORPUS"
cd "$EHR_ROOT/runtime"
# The fuzz crate is its own workspace; its lock starts from the main workspace's on every run, so
# the fuzzer builds the versions the node and the tests build (cargo adds the few entries of
# libfuzzer-sys and drops the node's), and never drifts from them.
cp "$EHR_ROOT/Cargo.lock" fuzz/Cargo.lock

if [ "${1:-}" = "--replay" ]; then
	[ -f "${2:-}" ] || die "--replay needs an input file"
	exec cargo fuzz run --sanitizer none --features try-runtime runtime "$(realpath "$2")"
fi

SECONDS_TO_RUN="${1:-600}"
# A new corpus starts from 16 random inputs of full length: libFuzzer would otherwise begin with
# inputs of a few bytes, which build only the prelude's blocks.
if [ -z "$(ls -A "$CORPUS")" ]; then
	for i in $(seq 1 16); do head -c 1500 /dev/urandom >"$CORPUS/seed-$i"; done
fi
log "building the fuzz target (instrumented, with every pallet's try_state)"
cargo fuzz build --sanitizer none --features try-runtime runtime
log "fuzzing for $SECONDS_TO_RUN s (corpus: $CORPUS)"
# -max_len: an input of 1,500 bytes builds up to 2 + 6 blocks of 8 extrinsics; longer inputs
# add nothing the harness reads; -len_control=0: mutate at any length from the start.
# -print_final_stats: executions per second at the end.
cargo fuzz run --sanitizer none --features try-runtime runtime "$CORPUS" -- \
	-max_total_time="$SECONDS_TO_RUN" -max_len=1500 -len_control=0 -print_final_stats=1
