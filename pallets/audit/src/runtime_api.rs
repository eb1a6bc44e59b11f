//! The runtime API of the audit trail, for `@polkadot/api` (`api.call.auditApi.*`) and any
//! client that audits without an indexer.

use crate::types::{AuditEntry, DisclosurePage, Trail};
use alloc::vec::Vec;
use codec::Codec;
use ehr_primitives::PatientId;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reads a patient's audit trail.
	pub trait AuditApi<AccountId, BlockNumber, Moment>
	where
		AccountId: Codec,
		BlockNumber: Codec,
		Moment: Codec,
	{
		/// The trail's counts, anchor and head; `None` if the patient has no entry.
		fn trail_head(patient: PatientId) -> Option<Trail>;

		/// Up to `limit` stored entries from index `from` on (at most the pallet's
		/// `MaxPageSize`), oldest first. Indices before the oldest stored entry start there.
		fn trail(patient: PatientId, from: u64, limit: u32)
			-> Vec<AuditEntry<AccountId, BlockNumber, Moment>>;

		/// An accounting of disclosures: successful record accesses by providers with a
		/// timestamp from `from` to `to` (inclusive, milliseconds), oldest first, at most
		/// `limit`. Pass the returned `next` as `cursor` to continue.
		fn disclosures(
			patient: PatientId,
			from: Moment,
			to: Moment,
			cursor: Option<u64>,
			limit: u32,
		) -> DisclosurePage<AuditEntry<AccountId, BlockNumber, Moment>>;
	}
}
