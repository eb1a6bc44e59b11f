#!/usr/bin/env bash
# The patient and provider web app in one command: builds it (web/ → web/dist, esbuild), starts a
# development chain (`ehr-node --dev`, a fresh one in a temporary directory) unless a node already
# answers on the RPC port, and serves the app on http://127.0.0.1:8080. Open that address, press
# Connect, and sign with the development accounts (or the polkadot.js extension's).
#
# Usage: scripts/web.sh [--port N] [--rpc-port N] [--no-node]
#   --port N       serve the app on port N (default 8080)
#   --rpc-port N   the node's RPC port (default 9944), the app's default node address
#   --no-node      do not start a node (use one already running, e.g. scripts/run-dev.sh)
set -euo pipefail
source "$(dirname "$0")/common.sh"

port=8080
rpc_port=9944
start_node=1
while [ $# -gt 0 ]; do
	case "$1" in
		--port) [ $# -ge 2 ] || die "--port needs a value"; port="$2"; shift 2 ;;
		--rpc-port) [ $# -ge 2 ] || die "--rpc-port needs a value"; rpc_port="$2"; shift 2 ;;
		--no-node) start_node=0; shift ;;
		-h|--help) sed -n '2,10p' "$0"; exit 0 ;;
		*) die "unknown argument '$1' (see --help)" ;;
	esac
done
for p in "$port" "$rpc_port"; do
	[[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ] || die "a port is a number from 1 to 65535, got '$p'"
done
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
	die "port $port is already in use: pass --port N"
fi

require_node "the web app's build and server"
cd "$EHR_ROOT/e2e"
npm install --no-save --no-audit --no-fund --loglevel=error
node tools/build-web.js

node_pid=""
tmp=""
cleanup() {
	[ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
	[ -n "$tmp" ] && rm -rf "$tmp"
	return 0
}
trap cleanup EXIT
if (exec 3<>"/dev/tcp/127.0.0.1/$rpc_port") 2>/dev/null; then
	log "a node already answers on port $rpc_port: the app uses it"
elif [ "$start_node" = 1 ]; then
	[ -x "$EHR_NODE_BIN" ] || build_node
	tmp="$(mktemp -d)"
	log "starting ehr-node --dev (fresh, in $tmp; log in $tmp/node.log), RPC ws://127.0.0.1:$rpc_port"
	"$EHR_NODE_BIN" --dev --base-path "$tmp" --rpc-port "$rpc_port" --no-telemetry --no-prometheus >"$tmp/node.log" 2>&1 &
	node_pid=$!
	for _ in $(seq 1 240); do
		(exec 3<>"/dev/tcp/127.0.0.1/$rpc_port") 2>/dev/null && break
		kill -0 "$node_pid" 2>/dev/null || die "ehr-node exited: $(tail -5 "$tmp/node.log")"
		sleep 0.5
	done
else
	log "no node on port $rpc_port: start one (scripts/run-dev.sh) before connecting"
fi
log "open http://127.0.0.1:$port/?rpc=ws://127.0.0.1:$rpc_port and press Connect (Ctrl-C stops everything)"
node tools/serve-web.js --port "$port"
