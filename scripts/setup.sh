#!/usr/bin/env bash
# Makes this machine able to build the EHR chain: native build packages and a Rust toolchain that
# compiles the runtime to WASM (`wasm32v1-none`).
#
# Every other script sources this file, so nobody has to run it by hand. It is idempotent and
# takes a second or two when everything is already in place. When sourced it exports
# `WASM_BUILD_TOOLCHAIN` if the WASM build needs a toolchain other than the default one.
#
# Route 1 (normal machines): `rustup target add wasm32v1-none` and `rustup component add rust-src`.
# Route 2 (machines where rustup cannot download): Debian's `rustc-web` toolchain (Rust 1.96 with
#   its standard-library sources), linked into rustup as `ehr-debian`, plus a precompiled
#   `core`/`alloc` for `wasm32v1-none` built once from those sources.
#
# Environment:
#   EHR_TOOLCHAIN_ROUTE=rustup|debian   force one route (default: try rustup, then Debian)
#   EHR_SKIP_APT=1                      never call apt-get (fail instead if a package is missing)
#   EHR_WITH_BROWSER=1                  also install Chromium (the browser test; scripts/test.sh sets it)

# Runs in the caller's shell when sourced: keep our options local to the function.
ehr_setup() {
	local quiet="${EHR_SETUP_QUIET:-0}"
	say() { [ "$quiet" = 1 ] || printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }
	fail() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; return 1; }

	local sudo=""
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
	fi

	local apt_updated=0
	apt_install() {
		# Installs the given Debian packages that are not installed yet.
		local missing=() pkg
		for pkg in "$@"; do
			dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
		done
		[ "${#missing[@]}" = 0 ] && return 0
		if [ "${EHR_SKIP_APT:-0}" = 1 ] || ! command -v apt-get >/dev/null 2>&1; then
			fail "missing system packages: ${missing[*]} (install them with your package manager)"
			return 1
		fi
		if [ "$(id -u)" != 0 ] && [ -z "$sudo" ]; then
			fail "missing system packages: ${missing[*]}; run as root or install sudo"
			return 1
		fi
		say "installing system packages: ${missing[*]}"
		if [ "$apt_updated" = 0 ]; then
			$sudo apt-get update -qq >/dev/null || { fail "apt-get update failed"; return 1; }
			apt_updated=1
		fi
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null ||
			{ fail "apt-get install ${missing[*]} failed"; return 1; }
	}

	# 1. Native build dependencies: libclang for RocksDB's bindings, protoc for libp2p's protobufs;
	# Python for the scripts that use it (their version check is `require_python` in common.sh);
	# zstd for the network test's runtime upgrade (it repacks the runtime blob).
	if command -v dpkg-query >/dev/null 2>&1; then
		apt_install libclang-dev clang protobuf-compiler make pkg-config python3 zstd || return 1
		# Chromium for the web app's browser test (e2e/tests/web.test.js, through puppeteer-core),
		# only where tests run (scripts/test.sh sets EHR_WITH_BROWSER=1).
		if [ "${EHR_WITH_BROWSER:-0}" = 1 ]; then apt_install chromium || return 1; fi
	else
		command -v protoc >/dev/null 2>&1 || { fail "protoc not found: install protobuf-compiler"; return 1; }
	fi

	# 2. Rust itself.
	if ! command -v cargo >/dev/null 2>&1 || ! command -v rustup >/dev/null 2>&1; then
		fail "cargo/rustup not found: install Rust from https://rustup.rs and re-run"
		return 1
	fi

	# 3. A toolchain that builds `wasm32v1-none`.
	local route="${EHR_TOOLCHAIN_ROUTE:-auto}"
	if [ "$route" != debian ]; then
		if rustup target list --installed 2>/dev/null | grep -qx wasm32v1-none; then
			unset WASM_BUILD_TOOLCHAIN
			say "WASM toolchain: default rustup toolchain ($(rustc --version)) with wasm32v1-none"
			return 0
		fi
		say "adding the wasm32v1-none target and rust-src through rustup"
		if timeout 300 rustup target add wasm32v1-none >/dev/null 2>&1 &&
			timeout 300 rustup component add rust-src >/dev/null 2>&1; then
			unset WASM_BUILD_TOOLCHAIN
			say "WASM toolchain: default rustup toolchain with wasm32v1-none"
			return 0
		fi
		[ "$route" = rustup ] && { fail "rustup could not add wasm32v1-none (no network?)"; return 1; }
		say "rustup cannot download here; falling back to Debian's rustc-web toolchain"
	fi

	local name=ehr-debian sysroot=/usr/lib/rustlib/wasm32v1-none/lib
	apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 ||
		{ fail "the Debian route needs rustc-web, cargo-web, rust-web-src, rust-web-llvm and lld-22"; return 1; }
	if ! rustup run "$name" rustc --version >/dev/null 2>&1; then
		say "linking /usr as the rustup toolchain '$name'"
		rustup toolchain link "$name" /usr || { fail "rustup toolchain link $name /usr failed"; return 1; }
	fi
	# The precompiled core/alloc belong to one compiler: after an upgrade of rustc-web they would
	# fail with "found crate `core` compiled by an incompatible version", so they are rebuilt.
	local rustc_now stamp="$sysroot/.ehr-rustc-version"
	rustc_now="$(rustup run "$name" rustc --version 2>/dev/null)"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" != "$rustc_now" ]; then
		say "rustc-web changed ($(cat "$stamp") -> $rustc_now): rebuilding the wasm32v1-none sysroot"
		$sudo rm -f "$sysroot"/lib{core,alloc,compiler_builtins}-*.rlib "$stamp"
	fi
	if ! ls "$sysroot"/libcore-*.rlib >/dev/null 2>&1; then
		say "building core/alloc for wasm32v1-none from the Debian sources (about 20 s)"
		local scratch
		scratch="$(mktemp -d)"
		mkdir -p "$scratch/src"
		printf '[package]\nname = "sysroot"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "src/lib.rs"\n' >"$scratch/Cargo.toml"
		printf '#![no_std]\n' >"$scratch/src/lib.rs"
		# Bitcode must be embedded, or LTO in the WASM build fails ("Can't find section .llvmbc").
		if ! (cd "$scratch" && RUSTFLAGS="-Cembed-bitcode=yes" RUSTC_BOOTSTRAP=1 \
			rustup run "$name" cargo build -q --release --target wasm32v1-none \
			--target-dir "$scratch/target" -Zbuild-std=core,alloc); then
			rm -rf "$scratch"
			fail "building the wasm32v1-none sysroot failed"
			return 1
		fi
		$sudo mkdir -p "$sysroot"
		$sudo cp "$scratch"/target/wasm32v1-none/release/deps/lib{core,alloc,compiler_builtins}-*.rlib "$sysroot"/ ||
			{ rm -rf "$scratch"; fail "copying the sysroot to $sysroot failed"; return 1; }
		rm -rf "$scratch"
		echo "$rustc_now" | $sudo tee "$stamp" >/dev/null
		# Artifacts built against another `core` would fail with "can't find crate".
		local target_dir="${CARGO_TARGET_DIR:-$(dirname "${BASH_SOURCE[0]}")/../target}"
		rm -rf "$target_dir"/*/wbuild
	fi
	export WASM_BUILD_TOOLCHAIN="$name"
	say "WASM toolchain: $(rustup run "$name" rustc --version) (Debian), WASM_BUILD_TOOLCHAIN=$name"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	# Executed, not sourced.
	set -euo pipefail
	ehr_setup
	if [ -n "${WASM_BUILD_TOOLCHAIN:-}" ]; then
		echo "export WASM_BUILD_TOOLCHAIN=$WASM_BUILD_TOOLCHAIN   # for your own cargo commands"
	fi
else
	ehr_setup || return 1
fi
