//! Empty: this crate exists so that `cargo check` runs `rococo-runtime`'s WASM build script
//! (see `Cargo.toml`). The relay runtime blob is the only product.
