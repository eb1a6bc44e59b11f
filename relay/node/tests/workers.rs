//! The relay node and its PVF workers are built together and agree on their version: a validator
//! refuses to start when the workers next to it report another version than its own.
//!
//! (Being an integration test also makes `cargo test --workspace` build the three binaries with
//! the workspace's features, the build the network scripts then use.)

use std::process::Command;

fn run(bin: &str, arg: &str) -> String {
	let out = Command::new(bin).arg(arg).output().unwrap_or_else(|e| panic!("{bin}: {e}"));
	assert!(out.status.success(), "{bin} {arg}: {}", String::from_utf8_lossy(&out.stderr));
	String::from_utf8(out.stdout)
		.unwrap_or_else(|e| panic!("{bin} {arg}: not UTF-8: {e}"))
		.trim()
		.to_owned()
}

#[test]
fn the_workers_report_the_relay_nodes_version() {
	let node = run(env!("CARGO_BIN_EXE_ehr-relay"), "--version");
	let prepare = run(env!("CARGO_BIN_EXE_polkadot-prepare-worker"), "--version");
	let execute = run(env!("CARGO_BIN_EXE_polkadot-execute-worker"), "--version");
	// `ehr-relay --version` prints `polkadot <NODE_VERSION>-<commit>`.
	assert!(!prepare.is_empty());
	assert_eq!(prepare, execute);
	let version = node.split_whitespace().nth(1).expect("a version");
	assert!(version.starts_with(&format!("{prepare}-")), "node {node}, workers {prepare}");
}
