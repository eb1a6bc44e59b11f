# Shared by the scripts: repository root, build settings and the one-time set-up.
# Sourced, never run.

EHR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export EHR_ROOT
# Build output goes to `target/` unless CARGO_TARGET_DIR says otherwise (CI keeps it in $HOME).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$EHR_ROOT/target}"
EHR_NODE_BIN="$CARGO_TARGET_DIR/release/ehr-node"
# The runtime's WASM build looks for this workspace's Cargo.lock from the target directory; when
# that is outside the clone it needs the hint, or it resolves dependencies without the lock file.
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$EHR_ROOT}"

log() { printf '\033[1;32m[ehr]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[ehr] error:\033[0m %s\n' "$*" >&2; exit 1; }

# shellcheck source=setup.sh
source "$EHR_ROOT/scripts/setup.sh" || die "set-up failed (see above)"

# Builds the node (and with it the runtime WASM) in the release profile the tests share.
build_node() {
	log "building ehr-node (release; a cold build takes about an hour on 2 cores, later builds a minute or two)"
	(cd "$EHR_ROOT" && cargo build --release --locked -p ehr-node) || die "building ehr-node failed"
}
