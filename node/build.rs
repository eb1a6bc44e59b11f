//! Sets `SUBSTRATE_CLI_IMPL_VERSION` (the crate's version and the git commit it was built from) for
//! `ehr-node --version`, as `substrate-build-script-utils`' `generate_cargo_keys` does.
//!
//! Written out instead of taken from the SDK: a build-dependency on the `polkadot-sdk` umbrella
//! receives the node's `polkadot-sdk/runtime-benchmarks` and `polkadot-sdk/try-runtime` features
//! too, and on the build script's copy (no `std`) they compile frame-benchmarking for the host
//! without `std`, which fails (`scripts/storage-bench.sh` builds the node with
//! `--features runtime-benchmarks`); and depending on `substrate-build-script-utils` directly would
//! change `Cargo.lock`, which rebuilds the node's whole dependency chain everywhere.

use std::process::Command;

fn main() {
	let commit = std::env::var("SUBSTRATE_CLI_GIT_COMMIT_HASH").ok().or_else(|| {
		// 11 characters, so the version has the same length in every build environment.
		let out = Command::new("git").args(["rev-parse", "--short=11", "HEAD"]).output().ok()?;
		out.status
			.success()
			.then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
	});
	let commit = commit.unwrap_or_else(|| {
		println!("cargo:warning=no git commit found: the version shows 00000000000");
		"00000000000".to_owned()
	});
	let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
	println!("cargo:rustc-env=SUBSTRATE_CLI_COMMIT_HASH={commit}");
	println!("cargo:rustc-env=SUBSTRATE_CLI_IMPL_VERSION={version}-{commit}");
	// Rebuild the version when the checked-out commit changes.
	if let Ok(out) = Command::new("git").args(["rev-parse", "--git-dir"]).output() {
		if out.status.success() {
			let dir = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
			// Only paths that exist: cargo reruns a build script whose watched path is missing
			// on every build.
			for path in ["HEAD", "refs/heads", "packed-refs"].map(|p| dir.join(p)) {
				if path.exists() {
					println!("cargo:rerun-if-changed={}", path.display());
				}
			}
		}
	}
}
