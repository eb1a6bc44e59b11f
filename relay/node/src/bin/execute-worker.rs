//! The PVF execute worker of `ehr-relay`: runs a parachain block's validation for a validator.
//! Started by the relay node, never by hand.

polkadot_node_core_pvf_common::decl_worker_main!(
	"execute-worker",
	polkadot_node_core_pvf_execute_worker::worker_entrypoint,
	polkadot_cli::NODE_VERSION,
	env!("SUBSTRATE_CLI_COMMIT_HASH"),
);
