//! Storage migrations run on runtime upgrade, oldest first.
//!
//! Every storage change is a multi-block migration ([`MultiBlockMigrations`], run by
//! `pallet-migrations`): each block spends at most
//! [`MbmServiceWeight`](crate::configs::MbmServiceWeight) on it, so the chain can always build
//! its next block however much state there is, and `frame-executive` admits no transactions
//! into blocks until it is done. Each migration checks the pallet's on-chain storage version and
//! sets the new one when done, so a chain that starts at a newer version (every new chain does)
//! skips it. Single-block migrations are not used: a parachain that cannot build its first
//! block after an upgrade is stuck.

/// Migrations executed by `frame_executive` on the first block after an upgrade: none.
pub type SingleBlockMigrations = ();

/// Migrations `pallet-migrations` runs over as many blocks as they need, in this order: none
/// yet. No chain has been deployed; storage that changed before the first deployment (the
/// consent pallet's version 3 replaced versions 1 and 2) has no migration.
pub type MultiBlockMigrations = ();
