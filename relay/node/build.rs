fn main() {
	// `SUBSTRATE_CLI_COMMIT_HASH` and `SUBSTRATE_CLI_IMPL_VERSION` for the workers' `--full-version`.
	polkadot_sdk::substrate_build_script_utils::generate_cargo_keys();
	polkadot_sdk::substrate_build_script_utils::rerun_if_git_head_changed();
}
