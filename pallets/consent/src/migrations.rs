//! Storage migrations of the consent pallet.
//!
//! None at present. Storage version 3 (grants kept whole per patient and grantee) replaced
//! versions 1 and 2 before any chain was deployed with them, so their migrations were removed
//! with them. From the first deployed chain on, every change of this pallet's storage comes with
//! a multi-block migration here ([`SteppedMigration`](polkadot_sdk::frame_support::migrations::SteppedMigration),
//! run by `pallet-migrations`, listed in the runtime's `migrations.rs`), benchmarked per step.
