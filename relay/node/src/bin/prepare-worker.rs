//! The PVF prepare worker of `ehr-relay`: compiles a parachain's validation code for a
//! validator. Started by the relay node, never by hand.

polkadot_node_core_pvf_common::decl_worker_main!(
	"prepare-worker",
	polkadot_node_core_pvf_prepare_worker::worker_entrypoint,
	polkadot_cli::NODE_VERSION,
	env!("SUBSTRATE_CLI_COMMIT_HASH"),
);
