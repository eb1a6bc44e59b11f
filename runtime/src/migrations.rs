//! Storage migrations run on runtime upgrade, oldest first. Each is versioned: it checks the
//! pallet's on-chain storage version, runs once, and sets the new version, so a chain that
//! starts at a newer version (every new chain does) skips it.

/// Migrations executed by `frame_executive` on the first block after an upgrade.
pub type SingleBlockMigrations = (
	// spec 5: the consent index keeps each grant's terms (the check reads no grant record).
	pallet_ehr_consent::migrations::v2::MigrateV1ToV2<crate::Runtime>,
);
