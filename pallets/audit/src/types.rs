//! The stored types of the audit trail and the hash chain over them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use ehr_primitives::{
	AuditAction, AuditActor, AuditEntity, AuditOutcome, OrgId, PatientId, PurposeOfUse,
};
use polkadot_sdk::sp_io::hashing::blake2_256;
use scale_info::TypeInfo;

#[cfg(not(feature = "std"))]
use alloc::vec::Vec;

/// The prefix of a trail's genesis head.
pub const GENESIS_DOMAIN: &[u8] = b"ehr/audit/v1";

/// One entry of a patient's audit trail, in the terms of FHIR `AuditEvent`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct AuditEntry<AccountId, BlockNumber, Moment> {
	/// The entry's place in the patient's trail, from 0.
	pub index: u64,
	/// The block it was recorded in (FHIR `recorded`).
	pub block: BlockNumber,
	/// The block's timestamp, in milliseconds since the Unix epoch.
	pub time: Moment,
	/// Who acted (FHIR `agent.who`).
	pub actor: AuditActor<AccountId>,
	/// The actor's organisation, if it acted as a provider (FHIR `agent.onBehalfOf`).
	pub organisation: Option<OrgId>,
	/// What happened (FHIR `subtype`; `action` is implied: create, update, delete or read).
	pub action: AuditAction,
	/// What it happened to (FHIR `entity`).
	pub entity: AuditEntity<AccountId, BlockNumber>,
	/// The purpose of use (FHIR `purposeOfEvent`), where one applies.
	pub purpose: Option<PurposeOfUse>,
	/// Success, or denied with the reason (FHIR `outcome`).
	pub outcome: AuditOutcome,
}

/// The state of a patient's trail: how many entries it has had, which are still stored, and the
/// hash chain's head.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Trail {
	/// How many entries were ever appended; the next entry gets this index.
	pub count: u64,
	/// The index of the oldest entry still stored; entries before it were pruned.
	pub first_retained: u64,
	/// The chain's value just before entry `first_retained`: the genesis head if nothing was
	/// pruned. Folding the stored entries onto it gives `head`.
	pub anchor: [u8; 32],
	/// The chain's head after the last entry: `H(previous head ‖ SCALE(entry))`.
	pub head: [u8; 32],
}

impl Trail {
	/// The trail of a patient before its first entry.
	pub fn new(patient: &PatientId) -> Self {
		let genesis = genesis_head(patient);
		Trail { count: 0, first_retained: 0, anchor: genesis, head: genesis }
	}

	/// How many entries are stored.
	pub fn retained(&self) -> u64 {
		self.count.saturating_sub(self.first_retained)
	}
}

/// The head of a patient's trail before any entry: `BLAKE2b-256("ehr/audit/v1" ‖ patient)`.
pub fn genesis_head(patient: &PatientId) -> [u8; 32] {
	let mut data = Vec::with_capacity(GENESIS_DOMAIN.len().saturating_add(32));
	data.extend_from_slice(GENESIS_DOMAIN);
	data.extend_from_slice(&patient.0);
	blake2_256(&data)
}

/// One step of the hash chain: `BLAKE2b-256(previous ‖ SCALE(entry))`.
pub fn chain_step<E: Encode>(previous: &[u8; 32], entry: &E) -> [u8; 32] {
	let mut data = previous.to_vec();
	entry.encode_to(&mut data);
	blake2_256(&data)
}

/// Folds `entries`, in order, onto `anchor`: the head a verifier expects.
pub fn fold_chain<'a, E: Encode + 'a>(
	anchor: [u8; 32],
	entries: impl IntoIterator<Item = &'a E>,
) -> [u8; 32] {
	entries.into_iter().fold(anchor, |head, entry| chain_step(&head, entry))
}

/// A page of an accounting of disclosures.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct DisclosurePage<Entry> {
	/// The disclosures found, oldest first. (Not `entries`: polkadot.js reserves that name on
	/// structs and would rename it `entries_`.)
	pub items: Vec<Entry>,
	/// Where to continue (pass it as `cursor`), or `None` if the range is exhausted.
	pub next: Option<u64>,
}
