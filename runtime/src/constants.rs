//! Constants of the runtime: currency units, block times and the chain's public properties.

use crate::{Balance, BlockNumber};

/// Currency units. The chain's token has [`chain_properties::TOKEN_DECIMALS`] decimals.
pub mod currency {
	use super::Balance;

	/// One whole token.
	pub const UNIT: Balance = 1_000_000_000_000;
	/// A thousandth of a token.
	pub const MILLIUNIT: Balance = 1_000_000_000;
	/// A millionth of a token.
	pub const MICROUNIT: Balance = 1_000_000;
	/// The minimum balance an account must keep to exist.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLIUNIT;

	/// The base of every storage deposit: what one stored item costs regardless of its size.
	pub const DEPOSIT_PER_ITEM: Balance = 20 * MILLIUNIT;
	/// What each byte of a stored item costs on top of [`DEPOSIT_PER_ITEM`].
	pub const DEPOSIT_PER_BYTE: Balance = 100 * MICROUNIT;
}

/// Block production and consensus timing (async backing).
pub mod time {
	use super::BlockNumber;

	/// Target time between parachain blocks: 6 seconds.
	///
	/// The node follows this through Aura's slot duration. Changing it after genesis breaks block
	/// production.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// Aura slot duration, equal to the block time.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks in a minute, an hour and a day.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks in an hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks in a day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

/// The EHR pallets' clock: relay-chain blocks (security review, finding 17).
///
/// Grant periods, guardian terms, emergency windows and their rate limit, and the audit
/// retention are counted in relay-chain block numbers (`RelaychainDataProvider`), not in
/// parachain blocks: the relay chain makes a block every 6 seconds whatever this parachain's
/// block time, so six years stay six years if the parachain moves to faster blocks (elastic
/// scaling) or misses slots. Clients read the current value as
/// `parachainSystem.lastRelayChainBlockNumber`.
pub mod ehr_time {
	use super::BlockNumber;

	/// Time between relay-chain blocks: 6 seconds.
	pub const RELAY_MILLI_SECS_PER_BLOCK: BlockNumber = 6000;
	/// Relay-chain blocks in a minute.
	pub const RELAY_MINUTES: BlockNumber = 60_000 / RELAY_MILLI_SECS_PER_BLOCK;
	/// Relay-chain blocks in an hour.
	pub const RELAY_HOURS: BlockNumber = RELAY_MINUTES * 60;
	/// Relay-chain blocks in a day.
	pub const RELAY_DAYS: BlockNumber = RELAY_HOURS * 24;
}

/// Async-backing parameters of the consensus hook.
pub mod consensus {
	/// How far behind the relay parent a parachain block may build (0: the newest relay block).
	pub const RELAY_PARENT_OFFSET: u32 = 0;
	/// Parachain blocks authored per relay-chain block.
	pub const BLOCK_PROCESSING_VELOCITY: u32 = 1;
	/// Parachain blocks that may be backed but not yet included: with async backing this is
	/// `(2 + RELAY_PARENT_OFFSET) * BLOCK_PROCESSING_VELOCITY + 1`.
	pub const UNINCLUDED_SEGMENT_CAPACITY: u32 =
		(2 + RELAY_PARENT_OFFSET) * BLOCK_PROCESSING_VELOCITY + 1;
	/// Relay-chain slot duration in milliseconds.
	pub const RELAY_CHAIN_SLOT_DURATION_MILLIS: u32 = 6000;
}

/// The chain's public properties: the node puts them in every built-in chain spec and wallets
/// such as polkadot.js read them from `system_properties`.
pub mod chain_properties {
	/// The token's symbol.
	pub const TOKEN_SYMBOL: &str = "EHR";
	/// The token's decimals; matches [`super::currency::UNIT`].
	pub const TOKEN_DECIMALS: u8 = 12;
	/// The SS58 address prefix: 42, the generic Substrate prefix, so dev accounts show the
	/// addresses every Substrate tool expects. A production consortium may register its own.
	pub const SS58_PREFIX: u16 = 42;
	/// The para id of the built-in `dev` and `local` chains.
	pub const DEV_PARA_ID: u32 = 1000;
	/// The relay chain named in the built-in `dev` and `local` chain specs.
	pub const RELAY_CHAIN_DEV: &str = "westend-local";
}
