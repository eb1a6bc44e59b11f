#!/usr/bin/env bash
# The live load test, in one command: starts `ehr-node --dev`, pre-signs N extrinsics of each of
# balances.transfer_keep_alive, ehrConsent.grantConsent, ehrRecords.anchorRecord and
# ehrRecords.recordAccess from many accounts, submits them as fast as the node takes them and
# measures inclusion throughput and latency (e2e/lib/load.js). Writes docs/perf/load-test.json
# and docs/perf/load-test.txt and regenerates docs/PERFORMANCE.md. Exits non-zero if any
# extrinsic was lost or failed.
#
# Usage: scripts/load-test.sh [--n N] [--accounts K]   (defaults: 12000 per call, 200 accounts)
#        scripts/load-test.sh --network [--n N]        the same on the local relay-chain network of
#          scripts/network.sh (6-second blocks, two collators, real collation; default 6000 per
#          call); writes docs/perf/load-test-network.*. Needs the binaries of
#          `cargo test --release --workspace --no-run` (ehr-relay too) and builds the relay
#          runtime WASM once (scripts/relay.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ ! -x "$EHR_NODE_BIN" ]]; then
	log "building ehr-node"
	(cd "$EHR_ROOT" && cargo build --release --locked --workspace) || die "building ehr-node failed"
fi
cd "$EHR_ROOT/e2e"
npm install --no-save --no-audit --no-fund --loglevel=error
EHR_NODE="$EHR_NODE_BIN" node tools/load-test.js --out "$EHR_ROOT/docs/perf" "$@"
require_python "the performance report"
python3 "$EHR_ROOT/scripts/perf_report.py"
log "wrote docs/perf/load-test*.json, docs/perf/load-test*.txt and docs/PERFORMANCE.md"
