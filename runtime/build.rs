//! Builds the runtime's WASM blob with `substrate-wasm-builder`.
//!
//! The blob lands in `OUT_DIR/wasm_binary.rs` as `WASM_BINARY`, which the node embeds in its
//! built-in chain specs. Set `SKIP_WASM_BUILD=1` to skip it (then `WASM_BINARY` is `None`).

#[cfg(feature = "std")]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

#[cfg(not(feature = "std"))]
fn main() {}
