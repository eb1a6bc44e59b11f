//! Storage migrations run on runtime upgrade. Empty at genesis; each EHR pallet's versioned
//! migrations are listed here as they are written.

/// Migrations executed by `frame_executive` on the first block after an upgrade.
pub type SingleBlockMigrations = ();
