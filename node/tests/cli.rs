//! Runs the real `ehr-node` binary: the built-in chain specs, a chain-spec JSON path and the
//! error for an unknown chain.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
use std::process::Command;

fn ehr_node(args: &[&str]) -> std::process::Output {
	Command::new(env!("CARGO_BIN_EXE_ehr-node"))
		.args(args)
		.output()
		.expect("ehr-node runs")
}

fn spec_json(args: &[&str]) -> serde_json::Value {
	let out = ehr_node(args);
	assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
	serde_json::from_slice(&out.stdout).expect("build-spec prints JSON")
}

#[test]
fn built_in_chain_specs_need_no_file() {
	for (chain, name, id) in
		[("dev", "EHR Development", "ehr-dev"), ("local", "EHR Local Testnet", "ehr-local")]
	{
		let spec = spec_json(&["build-spec", "--chain", chain]);
		assert_eq!(spec["name"], name);
		assert_eq!(spec["id"], id);
		assert_eq!(spec["para_id"].as_u64().or(spec["paraId"].as_u64()), Some(1000));
		assert_eq!(spec["properties"]["tokenSymbol"], "EHR");
		assert_eq!(spec["properties"]["tokenDecimals"], 12);
		assert_eq!(spec["properties"]["ss58Format"], 42);
	}
}

#[test]
fn dev_flag_selects_the_development_chain() {
	let spec = spec_json(&["build-spec", "--dev"]);
	assert_eq!(spec["id"], "ehr-dev");
	assert_eq!(spec["chainType"], "Development");
}

#[test]
fn a_chain_spec_json_path_is_loaded() {
	let dir = std::env::temp_dir().join(format!("ehr-node-cli-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("temp dir");
	let path = dir.join("local-raw.json");
	let raw = spec_json(&["build-spec", "--chain", "local", "--raw"]);
	std::fs::write(&path, serde_json::to_vec(&raw).expect("serialises")).expect("writes");

	let reloaded =
		spec_json(&["build-spec", "--chain", path.to_str().expect("utf-8 path"), "--raw"]);
	assert_eq!(reloaded["id"], "ehr-local");
	assert_eq!(reloaded["genesis"], raw["genesis"], "the same genesis comes back");
	std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unknown_chain_is_a_clear_error() {
	let out = ehr_node(&["build-spec", "--chain", "no-such-chain"]);
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("unknown chain `no-such-chain`"), "{stderr}");
	assert!(stderr.contains("dev, local"), "{stderr}");
}

#[test]
fn the_version_names_the_crate_version_and_the_git_commit() {
	// node/build.rs: `<crate version>-<11 hex digits of the commit>`, as the SDK's
	// `generate_cargo_keys` makes it (the build script reimplements it).
	let out = ehr_node(&["--version"]);
	assert!(out.status.success());
	let stdout = String::from_utf8_lossy(&out.stdout);
	let version = stdout.split_whitespace().nth(1).expect("`ehr-node <version>`");
	let (crate_version, commit) = version.split_once('-').expect("<version>-<commit>");
	assert_eq!(crate_version, env!("CARGO_PKG_VERSION"), "{stdout}");
	assert_eq!(commit.len(), 11, "{stdout}");
	assert!(commit.chars().all(|c| c.is_ascii_hexdigit()), "{stdout}");
}
