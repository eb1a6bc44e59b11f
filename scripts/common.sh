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

# EHR_SKIP_SETUP=1: a machine that only runs the built binaries (the Docker image) needs no
# build toolchain.
if [ "${EHR_SKIP_SETUP:-0}" != 1 ]; then
	# shellcheck source=setup.sh
	source "$EHR_ROOT/scripts/setup.sh" || die "set-up failed (see above)"
fi

# Python 3.11+ for the scripts written in it (`consortium-spec.py` reads TOML with `tomllib`);
# called only by the scripts that run Python.
require_python() {
	python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null ||
		die "Python 3.11 or newer is needed for $1 (found: $(python3 --version 2>&1)); Debian 12+ and Ubuntu 24.04 ship it (apt-get install python3)"
}

# Node.js 20+ and npm for the end-to-end and network tests, with a hint that works.
require_node() {
	local hint="Debian 13 and Ubuntu 24.04: 'apt-get install nodejs npm' (Node.js 20+); older releases: Node.js 20 or 22 from nodejs.org"
	command -v node >/dev/null 2>&1 || die "Node.js is needed for $1. $hint"
	command -v npm >/dev/null 2>&1 || die "npm is needed for $1. $hint"
	local major
	major="$(node -p 'process.versions.node.split(".")[0]')"
	[ "$major" -ge 20 ] || die "Node.js 20+ is needed for $1, found $(node --version). $hint"
}

# Cargo-installed tools (cargo-fuzz, zepter) live in one cache outside the clone; each is
# installed once, at the pinned version, and found there afterwards.
EHR_TOOLS="$HOME/.cache/ehr-chain/tools"
# cargo_tool NAME VERSION: installs the crate NAME once; prints the path of its binary.
cargo_tool() {
	local bin="$EHR_TOOLS/bin/$1"
	if [ ! -x "$bin" ]; then
		log "installing $1 $2 into $EHR_TOOLS (once, a few minutes)"
		cargo install "$1" --version "$2" --locked --root "$EHR_TOOLS" >&2
	fi
	printf '%s\n' "$bin"
}

# Builds the node (and with it the runtime WASM) in the release profile the tests share.
build_node() {
	log "building ehr-node (release; a cold build takes about an hour on 2 cores, later builds a minute or two)"
	(cd "$EHR_ROOT" && cargo build --release --locked -p ehr-node) || die "building ehr-node failed"
}
