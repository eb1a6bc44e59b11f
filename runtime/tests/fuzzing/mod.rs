//! The runtime fuzzer's harness, shared by the seeded test (`tests/fuzz.rs`, in the README's test
//! command) and the `cargo fuzz` target (`runtime/fuzz/`, for long runs).
//!
//! One input is a byte string; every choice the fuzzer makes is read from it (past its end it
//! reads zeros), so a libFuzzer input and a seeded random string drive the same code. From the
//! development preset's genesis it builds blocks like a collator builds them (Aura pre-digest,
//! timestamp and validation-data inherents, each extrinsic in a storage transaction rolled back
//! when invalid), with signed extrinsics from six development accounts: calls of every EHR pallet,
//! balances, utility batches, sudo and council motions, with arguments biased to ids that exist.
//!
//! Checked after every extrinsic:
//! - nothing panics (a panic fails the test, or is the fuzzer's crash);
//! - the proof the extrinsic really read, measured by a storage-proof recorder on the trie (the
//!   collator's measure; the runtime's weight reclaim reads the same recorder), is at most the
//!   proof size its weight declares;
//! - the time it took here, natively, is at most the ref time its weight declares (the WASM
//!   the chain runs is slower than native code, so a call over this bound is under-weighted for
//!   certain; the benchmarks measure the real figure in WASM). Not checked under cargo-fuzz,
//!   whose instrumentation slows the code;
//! - the block's consumed weight per class and its length stay within the runtime's limits.
//!
//! Checked after every block: every pallet's `try_state` invariants ([`check_invariants`]: the EHR
//! pallets' deposits match their holds, trails fold onto their heads, and so on; with the
//! `try-runtime` feature every pallet of the runtime), the total issuance is the sum of all
//! balances, no more, and it only fell by the fees and burns the block's events account for; and
//! each known patient's trail, read through the same functions the `AuditApi` serves, folds to
//! the head it reports.

use crate::common::{self, check_invariants, signed, Applying, BlockBuilder};
use ehr_primitives::{
	Actions, CategoryTag, DataCategory, Digest, DigestAlgorithm, Grantee, OrgId, PatientId,
	ProviderRole, ProviderRoles, PurposeOfUse, Purposes, RecordId, SealedCategories,
};
use ehr_runtime::{AccountId, Runtime, RuntimeCall, RuntimeEvent, UncheckedExtrinsic};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchClass, GetDispatchInfo},
		weights::Weight,
	},
	frame_system, pallet_balances, pallet_collective, pallet_sudo, pallet_utility,
	sp_core::H256,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{BoundedVec, Storage},
	sp_trie::{proof_size_extension::ProofSizeExt, recorder::Recorder},
};
use std::{
	collections::BTreeMap,
	sync::{
		atomic::{AtomicBool, Ordering},
		OnceLock,
	},
	time::{Duration, Instant},
};

/// The signers: the development accounts. In the development preset Alice is the sudo key and
/// Alice, Bob and Charlie the council; Dave administers organisation 0, whose physician is Bob.
pub const KEYS: [Sr25519Keyring; 6] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
];

/// The most blocks and extrinsics per block one input builds.
pub const MAX_BLOCKS: usize = 6;
pub const MAX_PER_BLOCK: usize = 8;

/// The choices of one run, read from bytes; zeros once they run out.
pub struct Input<'a> {
	data: &'a [u8],
	at: usize,
}

impl<'a> Input<'a> {
	pub fn new(data: &'a [u8]) -> Self {
		Self { data, at: 0 }
	}
	pub fn byte(&mut self) -> u8 {
		let b = self.data.get(self.at).copied().unwrap_or(0);
		self.at = self.at.saturating_add(1);
		b
	}
	pub fn exhausted(&self) -> bool {
		self.at >= self.data.len()
	}
	pub fn u16(&mut self) -> u16 {
		u16::from_le_bytes([self.byte(), self.byte()])
	}
	pub fn u32(&mut self) -> u32 {
		u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
	}
	/// A number below `n` (0 for `n == 0`).
	pub fn below(&mut self, n: usize) -> usize {
		if n == 0 {
			0
		} else {
			usize::from(self.u16()) % n
		}
	}
	pub fn bool(&mut self) -> bool {
		self.byte() & 1 == 1
	}
	pub fn bytes32(&mut self) -> [u8; 32] {
		let mut out = [0u8; 32];
		// Mostly a few distinct values, so equal digests and commitments happen.
		let seed = self.byte();
		if seed < 200 {
			out[0] = seed % 8;
		} else {
			for b in out.iter_mut() {
				*b = self.byte();
			}
		}
		out
	}
	/// One of `items`, or `None` if there are none.
	pub fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
		let i = self.below(items.len());
		items.get(i).cloned()
	}
}

/// What the chain has created so far, so later calls can name it.
#[derive(Default)]
struct Known {
	patients: Vec<PatientId>,
	records: Vec<(PatientId, RecordId)>,
	consents: Vec<(PatientId, Grantee<AccountId>, ehr_primitives::ConsentId)>,
	proposals: Vec<(H256, u32, u32)>,
	organisations: u32,
	/// The first controller of each patient registered, to sign for it.
	controllers: BTreeMap<PatientId, AccountId>,
	/// Accounts accredited as providers (the development preset's Bob first).
	providers: Vec<AccountId>,
}

/// The context of the extrinsic being made: the patient it is about, most of the time, and who
/// should sign it for it to have a chance of succeeding.
struct Ctx<'a> {
	known: &'a Known,
	now: u32,
	focus: Option<PatientId>,
	signer: Option<AccountId>,
}

impl Ctx<'_> {
	fn patient(&self, input: &mut Input) -> PatientId {
		match self.focus {
			Some(p) if !input.byte().is_multiple_of(4) => p,
			_ => self.known.patient(input),
		}
	}
	fn record(&self, input: &mut Input) -> (PatientId, RecordId) {
		if let Some(focus) = self.focus {
			if !input.byte().is_multiple_of(4) {
				let mine: Vec<_> =
					self.known.records.iter().filter(|(p, _)| *p == focus).cloned().collect();
				if let Some(r) = input.pick(&mine) {
					return r;
				}
			}
		}
		self.known.record(input)
	}
	/// The patient's controller should sign.
	fn as_patient(&mut self) {
		if self.signer.is_none() {
			self.signer = self.focus.and_then(|p| self.known.controllers.get(&p).cloned());
		}
	}
	/// A provider should sign.
	fn as_provider(&mut self, input: &mut Input) {
		if self.signer.is_none() {
			self.signer = input.pick(&self.known.providers);
		}
	}
	fn sign_as(&mut self, key: Option<Sr25519Keyring>) {
		if self.signer.is_none() {
			self.signer = key.map(|k| k.to_account_id());
		}
	}
	fn provider(&self, input: &mut Input) -> AccountId {
		if !input.byte().is_multiple_of(4) {
			if let Some(p) = input.pick(&self.known.providers) {
				return p;
			}
		}
		account_of(input)
	}
}

impl Known {
	fn patient(&self, input: &mut Input) -> PatientId {
		// Seven in eight name a patient that exists (or existed).
		if !input.byte().is_multiple_of(8) {
			if let Some(p) = input.pick(&self.patients) {
				return p;
			}
		}
		PatientId(input.bytes32())
	}
	fn record(&self, input: &mut Input) -> (PatientId, RecordId) {
		if !input.byte().is_multiple_of(8) {
			if let Some(r) = input.pick(&self.records) {
				return r;
			}
		}
		(self.patient(input), RecordId(u64::from(input.byte())))
	}
	fn org(&self, input: &mut Input) -> OrgId {
		OrgId(input.u32() % self.organisations.saturating_add(2))
	}
	/// Learns the ids the block's events announce.
	fn learn(&mut self) {
		for record in frame_system::Pallet::<Runtime>::events() {
			match record.event {
				RuntimeEvent::EhrIdentity(pallet_ehr_identity::Event::PatientRegistered {
					patient,
					..
				})
				| RuntimeEvent::EhrIdentity(pallet_ehr_identity::Event::PatientOnboarded {
					patient,
					..
				}) => self.patients.push(patient),
				RuntimeEvent::EhrIdentity(pallet_ehr_identity::Event::OrganisationRegistered {
					..
				}) => self.organisations = self.organisations.saturating_add(1),
				RuntimeEvent::EhrRecords(pallet_ehr_records::Event::RecordAnchored {
					record,
					patient,
					..
				}) => self.records.push((patient, record)),
				RuntimeEvent::EhrConsent(pallet_ehr_consent::Event::ConsentGranted {
					consent_id,
					patient,
					grantee,
					..
				}) => self.consents.push((patient, grantee, consent_id)),
				RuntimeEvent::Council(pallet_collective::Event::Proposed {
					proposal_index,
					proposal_hash,
					..
				}) => {
					let len = pallet_collective::ProposalOf::<Runtime, pallet_collective::Instance1>::get(
						proposal_hash,
					)
					.map(|p| codec::Encode::encoded_size(&p) as u32)
					.unwrap_or(0);
					self.proposals.push((proposal_hash, proposal_index, len));
				},
				_ => {},
			}
		}
	}
}

fn account_of(input: &mut Input) -> AccountId {
	input.pick(&KEYS).unwrap_or(Sr25519Keyring::Alice).to_account_id()
}

fn purpose(input: &mut Input) -> PurposeOfUse {
	input.pick(PurposeOfUse::ALL).unwrap_or(PurposeOfUse::Treatment)
}

fn tag(input: &mut Input) -> CategoryTag {
	if !input.byte().is_multiple_of(4) {
		common::tag(input.pick(DataCategory::ALL).unwrap_or(DataCategory::Laboratory))
	} else {
		CategoryTag { epoch: u16::from(input.byte() % 3), slot: input.byte() }
	}
}

fn sealed(input: &mut Input) -> SealedCategories {
	if !input.byte().is_multiple_of(4) {
		let chosen: Vec<DataCategory> = DataCategory::ALL
			.iter()
			.copied()
			.filter(|_| input.byte().is_multiple_of(3))
			.collect();
		common::sealed(&chosen)
	} else {
		SealedCategories { epoch: u16::from(input.byte() % 3), slots: input.u32() }
	}
}

fn digest(input: &mut Input) -> Digest {
	Digest {
		algorithm: if input.bool() {
			DigestAlgorithm::Sha2_256
		} else {
			DigestAlgorithm::Blake2b256
		},
		hash: input.bytes32(),
	}
}

fn grantee(ctx: &Ctx, input: &mut Input) -> Grantee<AccountId> {
	if !input.byte().is_multiple_of(4) {
		Grantee::Provider(ctx.provider(input))
	} else {
		Grantee::Organisation(ctx.known.org(input))
	}
}

/// A block number of the EHR pallets' clock (the relay chain's) near `now`, sometimes on the
/// guardian grid.
fn block_near(input: &mut Input, now: u32) -> u32 {
	match input.byte() % 4 {
		0 => now.saturating_add(u32::from(input.byte())),
		1 => now.saturating_sub(u32::from(input.byte())),
		2 => {
			let grid = ehr_runtime::configs::ehr::GUARDIAN_TERM_GRANULARITY;
			now.div_ceil(grid)
				.saturating_add(u32::from(input.byte() % 20))
				.saturating_mul(grid)
		},
		_ => input.u32(),
	}
}

/// One call, chosen and filled from `input`. `depth` stops batches nesting without end.
fn call(ctx: &mut Ctx, input: &mut Input, depth: u8) -> RuntimeCall {
	let known = ctx.known;
	let now = ctx.now;
	use pallet_ehr_consent::Call as C;
	use pallet_ehr_identity::Call as I;
	use pallet_ehr_records::Call as R;
	let choice = input.byte() % 48;
	// Who should sign, for the call to have a chance: the patient's controller for its own
	// identity and consents, a provider for records and break-glass, the sudo key, a
	// councillor, the organisation's admin.
	match choice {
		5..=23 => ctx.as_patient(),
		24..=37 => ctx.as_provider(input),
		38..=40 => ctx.sign_as(Some(Sr25519Keyring::Dave)),
		41 | 42 => ctx.sign_as(Some(Sr25519Keyring::Alice)),
		44..=46 => {
			let councillor =
				input.pick(&[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]);
			ctx.sign_as(councillor)
		},
		_ => {},
	}
	match choice {
		0 => RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: account_of(input).into(),
			value: u128::from(input.u32()).saturating_mul(1_000_000),
		}),
		1 => RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: account_of(input).into(),
			value: u128::from(input.u32()).saturating_mul(u128::from(input.u32())),
		}),
		2..=4 => RuntimeCall::EhrIdentity(I::register_patient {}),
		5 => RuntimeCall::EhrIdentity(I::add_controller { controller: account_of(input) }),
		6 => RuntimeCall::EhrIdentity(I::accept_controller { patient: ctx.patient(input) }),
		7 => RuntimeCall::EhrIdentity(I::remove_controller { controller: account_of(input) }),
		8 => RuntimeCall::EhrIdentity(I::replace_controller { new_controller: account_of(input) }),
		9 => RuntimeCall::EhrIdentity(I::add_guardian {
			guardian: account_of(input),
			until: if input.bool() { Some(block_near(input, now)) } else { None },
		}),
		10 => RuntimeCall::EhrIdentity(I::remove_guardian {
			patient: ctx.patient(input),
			guardian: account_of(input),
		}),
		11 => RuntimeCall::EhrIdentity(I::close_patient {}),
		12 => {
			let n = input.below(4);
			let friends: Vec<AccountId> = (0..n).map(|_| account_of(input)).collect();
			RuntimeCall::EhrIdentity(I::set_recovery {
				friends: BoundedVec::truncate_from(friends),
				threshold: u32::from(input.byte() % 5),
				delay: if input.bool() {
					ehr_runtime::configs::ehr::MIN_RECOVERY_DELAY
				} else {
					u32::from(input.byte())
				},
			})
		},
		13 => RuntimeCall::EhrIdentity(I::remove_recovery {}),
		14 => RuntimeCall::EhrIdentity(I::initiate_recovery {
			patient: ctx.patient(input),
			new_controller: account_of(input),
		}),
		15 => RuntimeCall::EhrIdentity(I::approve_recovery { patient: ctx.patient(input) }),
		16 => RuntimeCall::EhrIdentity(I::cancel_recovery {}),
		17 => RuntimeCall::EhrIdentity(I::claim_recovery { patient: ctx.patient(input) }),
		18..=20 => RuntimeCall::EhrConsent(C::grant_consent {
			patient: ctx.patient(input),
			grantee: grantee(ctx, input),
			categories: sealed(input),
			actions: Actions(if !input.byte().is_multiple_of(4) {
				1 + input.byte() % 3
			} else {
				input.byte()
			}),
			purposes: Purposes(if !input.byte().is_multiple_of(4) {
				1 << (input.byte() % 7)
			} else {
				input.byte()
			}),
			roles: if !input.byte().is_multiple_of(4) {
				ProviderRoles::ALL
			} else {
				ProviderRoles(input.u16())
			},
			valid_from: if !input.byte().is_multiple_of(4) { 0 } else { block_near(input, now) },
			valid_until: if !input.byte().is_multiple_of(4) {
				None
			} else {
				Some(block_near(input, now))
			},
		}),
		21 | 22 => match input.pick(&known.consents) {
			Some((patient, grantee, consent_id)) if !input.byte().is_multiple_of(8) => {
				RuntimeCall::EhrConsent(C::revoke_consent { patient, grantee, consent_id })
			},
			_ => RuntimeCall::EhrConsent(C::revoke_consent {
				patient: ctx.patient(input),
				grantee: grantee(ctx, input),
				consent_id: ehr_primitives::ConsentId(u64::from(input.byte())),
			}),
		},
		23 => match input.pick(&known.consents) {
			Some((patient, grantee, consent_id)) => {
				if input.bool() {
					RuntimeCall::EhrConsent(C::reap_consent { patient, grantee, consent_id })
				} else {
					RuntimeCall::EhrConsent(C::take_over_consent_deposit {
						patient,
						grantee,
						consent_id,
					})
				}
			},
			None => RuntimeCall::EhrConsent(C::reap_consent {
				patient: ctx.patient(input),
				grantee: grantee(ctx, input),
				consent_id: ehr_primitives::ConsentId(0),
			}),
		},
		24 => RuntimeCall::EhrConsent(C::open_emergency_access {
			patient: ctx.patient(input),
			justification: input.bytes32(),
		}),
		25 => RuntimeCall::EhrConsent(C::close_emergency_access {
			patient: ctx.patient(input),
			provider: account_of(input),
		}),
		26 => RuntimeCall::EhrConsent(C::reap_emergency_access {
			patient: ctx.patient(input),
			provider: account_of(input),
		}),
		27..=29 => RuntimeCall::EhrRecords(R::anchor_record {
			patient: ctx.patient(input),
			category: tag(input),
			digest: digest(input),
			locator: if input.bool() { Some(input.bytes32()) } else { None },
			predecessor: if input.byte().is_multiple_of(4) {
				Some(ctx.record(input).1)
			} else {
				None
			},
			purpose: purpose(input),
		}),
		30 => {
			let (patient, record) = ctx.record(input);
			if input.bool() {
				RuntimeCall::EhrRecords(R::retract_record { patient, record })
			} else {
				RuntimeCall::EhrRecords(R::erase_record { patient, record })
			}
		},
		31 => RuntimeCall::EhrRecords(R::erase_patient_records {
			patient: ctx.patient(input),
			max: u32::from(input.byte()),
		}),
		32 => RuntimeCall::EhrRecords(R::anchor_batch {
			root: input.bytes32(),
			leaf_count: input.u32() % 2_000_000,
		}),
		33 | 34 => {
			let (patient, record) = ctx.record(input);
			RuntimeCall::EhrRecords(R::record_access { patient, record, purpose: purpose(input) })
		},
		35 => {
			let n = 1 + input.below(6);
			let accesses: Vec<_> = (0..n)
				.map(|_| {
					let (patient, record) = ctx.record(input);
					pallet_ehr_records::DeclaredAccess { patient, record, purpose: purpose(input) }
				})
				.collect();
			RuntimeCall::EhrRecords(R::record_accesses {
				accesses: BoundedVec::truncate_from(accesses),
			})
		},
		36 => {
			let n = 1 + input.below(6);
			let records: Vec<_> = (0..n)
				.map(|_| pallet_ehr_records::NewRecord {
					patient: ctx.patient(input),
					category: tag(input),
					digest: digest(input),
					locator: None,
					predecessor: None,
					purpose: purpose(input),
				})
				.collect();
			RuntimeCall::EhrRecords(R::anchor_records {
				records: BoundedVec::truncate_from(records),
			})
		},
		37 => RuntimeCall::EhrAudit(pallet_ehr_audit::Call::prune_trail {
			patient: ctx.patient(input),
			max: u32::from(input.byte()),
		}),
		38 => RuntimeCall::EhrIdentity(I::accredit_provider {
			provider: account_of(input),
			organisation: known.org(input),
			role: input.pick(ProviderRole::ALL).unwrap_or(ProviderRole::Physician),
		}),
		39 => {
			let provider = account_of(input);
			RuntimeCall::EhrIdentity(match input.byte() % 3 {
				0 => I::suspend_provider { provider },
				1 => I::reinstate_provider { provider },
				_ => I::revoke_provider { provider },
			})
		},
		40 => {
			let organisation = known.org(input);
			RuntimeCall::EhrIdentity(match input.byte() % 4 {
				0 => I::register_organisation { admin: account_of(input) },
				1 => I::suspend_organisation { organisation },
				2 => I::reinstate_organisation { organisation },
				_ => I::set_organisation_admin {
					organisation,
					admin: if input.bool() { Some(account_of(input)) } else { None },
				},
			})
		},
		41 | 42 if depth == 0 => {
			// Root, through the sudo key (only Alice holds it in the development preset).
			let inner = call(ctx, input, depth + 1);
			RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(inner) })
		},
		43 if depth == 0 => {
			let n = 1 + input.below(3);
			let calls: Vec<RuntimeCall> = (0..n).map(|_| call(ctx, input, depth + 1)).collect();
			RuntimeCall::Utility(match input.byte() % 3 {
				0 => pallet_utility::Call::batch { calls },
				1 => pallet_utility::Call::batch_all { calls },
				_ => pallet_utility::Call::force_batch { calls },
			})
		},
		44 if depth == 0 => {
			// A council motion: with a threshold of 1 it runs at once, with the council's origin.
			let proposal = call(ctx, input, depth + 1);
			let length_bound = codec::Encode::encoded_size(&proposal) as u32;
			RuntimeCall::Council(pallet_collective::Call::propose {
				threshold: u32::from(input.byte() % 4),
				proposal: Box::new(proposal),
				length_bound,
			})
		},
		45 => match input.pick(&known.proposals) {
			Some((proposal, index, _)) => RuntimeCall::Council(pallet_collective::Call::vote {
				proposal,
				index,
				approve: !input.byte().is_multiple_of(4),
			}),
			None => RuntimeCall::System(frame_system::Call::remark { remark: vec![input.byte()] }),
		},
		46 => match input.pick(&known.proposals) {
			Some((proposal_hash, index, length_bound)) => {
				RuntimeCall::Council(pallet_collective::Call::close {
					proposal_hash,
					index,
					proposal_weight_bound: Weight::from_parts(u64::MAX / 4, u64::MAX / 4),
					length_bound,
				})
			},
			None => RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
		},
		_ => RuntimeCall::EhrGovernance(pallet_ehr_governance::Call::set_session_length {
			length: u32::from(input.u16()),
		}),
	}
}

/// What one run saw, summed over runs by the seeded test.
#[derive(Default, Debug, Clone)]
pub struct Stats {
	pub runs: u64,
	pub blocks: u64,
	pub extrinsics: u64,
	/// Applied and dispatched without error.
	pub succeeded: u64,
	/// Applied, the dispatch returned an error (the fee was paid, the state rolled back).
	pub failed: u64,
	/// Refused as invalid (not included).
	pub invalid: u64,
	/// Per call (`pallet.call`): how often it succeeded, and the highest measured ÷ declared
	/// proof size and native time ÷ declared ref time.
	pub calls: BTreeMap<String, CallStats>,
	/// How often each call failed with each error (`pallet.call: error`).
	pub errors: BTreeMap<String, u64>,
	/// Extrinsics applied so far in the run (their position identifies them across reruns).
	pub applied: u64,
	/// Extrinsics that took longer natively than their declared ref time.
	pub slow: Vec<Slow>,
}

/// An extrinsic over its declared ref time in one run.
#[derive(Debug, Clone)]
pub struct Slow {
	pub extrinsic: u64,
	pub call: String,
	pub elapsed: Duration,
	pub declared: u64,
}

#[derive(Default, Debug, Clone)]
pub struct CallStats {
	pub ok: u64,
	pub max_proof_ratio: f64,
	pub max_time_ratio: f64,
}

impl Stats {
	pub fn add(&mut self, other: &Stats) {
		self.runs += other.runs;
		self.blocks += other.blocks;
		self.extrinsics += other.extrinsics;
		self.succeeded += other.succeeded;
		self.failed += other.failed;
		self.invalid += other.invalid;
		for (name, c) in &other.calls {
			let mine = self.calls.entry(name.clone()).or_default();
			mine.ok += c.ok;
			mine.max_proof_ratio = mine.max_proof_ratio.max(c.max_proof_ratio);
			mine.max_time_ratio = mine.max_time_ratio.max(c.max_time_ratio);
		}
		for (e, n) in &other.errors {
			*self.errors.entry(e.clone()).or_default() += n;
		}
		self.slow.extend(other.slow.iter().cloned());
	}
}

fn call_name(call: &RuntimeCall) -> String {
	use polkadot_sdk::frame_support::traits::GetCallMetadata;
	let m = call.get_call_metadata();
	format!("{}.{}", m.pallet_name, m.function_name)
}

/// The genesis storage of the development preset, built once per process.
fn genesis() -> Storage {
	static GENESIS: OnceLock<Storage> = OnceLock::new();
	GENESIS
		.get_or_init(|| {
			common::storage_from_preset(polkadot_sdk::sp_genesis_builder::DEV_RUNTIME_PRESET)
		})
		.clone()
}

/// Fees and burns of the block's events: by how much they lower the total issuance.
fn burnt_in_block() -> u128 {
	let mut burnt: u128 = 0;
	for record in frame_system::Pallet::<Runtime>::events() {
		match record.event {
			RuntimeEvent::TransactionPayment(
				polkadot_sdk::pallet_transaction_payment::Event::TransactionFeePaid {
					actual_fee,
					..
				},
			) => burnt = burnt.saturating_add(actual_fee),
			// A burnt deposit share (a closed identity's tombstone, for one): from the free
			// balance or from a hold.
			RuntimeEvent::Balances(pallet_balances::Event::Burned { amount, .. })
			| RuntimeEvent::Balances(pallet_balances::Event::BurnedHeld { amount, .. }) => {
				burnt = burnt.saturating_add(amount)
			},
			_ => {},
		}
	}
	burnt
}

/// Runs one input: blocks of calls from it, every check after every extrinsic and block.
/// Panics on the first broken check, with the call and numbers that broke it.
pub fn run(data: &[u8]) -> Stats {
	let stats = run_once(data);
	if stats.slow.is_empty() {
		return stats;
	}
	// Over its ref time in this run: under-weighted only if it is over in two reruns too.
	let mut suspects = stats.slow.clone();
	for _ in 0..2 {
		let again = run_once(data);
		suspects.retain(|s| again.slow.iter().any(|a| a.extrinsic == s.extrinsic));
	}
	if let Some(s) = suspects.first() {
		panic!(
			"{} took {:?} natively in three runs of this input but declares {} ps of ref time",
			s.call, s.elapsed, s.declared
		);
	}
	Stats { slow: Vec::new(), ..stats }
}

fn run_once(data: &[u8]) -> Stats {
	let mut input = Input::new(data);
	let mut ext = TestExternalities::new(genesis());
	let mut stats = Stats { runs: 1, ..Default::default() };
	let mut builder = BlockBuilder::default();
	let mut known = Known::default();
	ext.execute_with(|| {
		known.organisations = pallet_ehr_identity::NextOrgId::<Runtime>::get();
		known.providers = pallet_ehr_identity::Providers::<Runtime>::iter_keys().collect();
	});
	if !input.byte().is_multiple_of(8) {
		prelude(&mut ext, &mut builder, &mut stats, &mut known);
	}
	let blocks = 1 + input.below(MAX_BLOCKS);
	for _ in 0..blocks {
		if input.exhausted() {
			break;
		}
		// The block's extrinsics, signed against the state before it (nonces counted on).
		let extrinsics: Vec<UncheckedExtrinsic> = ext.execute_with(|| {
			let now = builder.relay_number(builder.parent.number.saturating_add(1));
			let mut nonces: BTreeMap<AccountId, u32> = BTreeMap::new();
			let n = input.below(MAX_PER_BLOCK + 1);
			(0..n)
				.map(|_| {
					let focus = input.pick(&known.patients);
					let mut ctx = Ctx { known: &known, now, focus, signer: None };
					let call = call(&mut ctx, &mut input, 0);
					// Mostly the signer the call wants; sometimes anyone (the origin checks).
					let key = match ctx.signer {
						Some(who) if !input.byte().is_multiple_of(8) => KEYS
							.into_iter()
							.find(|k| k.to_account_id() == who)
							.unwrap_or(Sr25519Keyring::Alice),
						_ => input.pick(&KEYS).unwrap_or(Sr25519Keyring::Alice),
					};
					let who = key.to_account_id();
					let nonce = *nonces
						.entry(who.clone())
						.or_insert_with(|| frame_system::Pallet::<Runtime>::account_nonce(&who));
					nonces.insert(who, nonce.saturating_add(1));
					signed(call, key, nonce)
				})
				.collect()
		});
		stats.extrinsics += extrinsics.len() as u64;

		apply_block(&mut ext, &mut builder, extrinsics, &mut stats, &mut known);
	}
	stats
}

/// Builds one block of `extrinsics` on `ext` and runs every check; learns the ids it created.
fn apply_block(
	ext: &mut TestExternalities,
	builder: &mut BlockBuilder,
	extrinsics: Vec<UncheckedExtrinsic>,
	stats: &mut Stats,
	known: &mut Known,
) {
	stats.extrinsics += extrinsics.len() as u64;
	// The block, with a proof recorder on the trie as a collator has: each extrinsic's proof
	// is what it newly adds to the recorder.
	let recorder: Recorder<polkadot_sdk::sp_core::Blake2Hasher> = Default::default();
	ext.register_extension(ProofSizeExt::new(recorder.clone()));
	let issuance_before = ext.execute_with(pallet_balances::TotalIssuance::<Runtime>::get);
	let mut started = (0usize, Instant::now());
	let mut block_stats = Stats { applied: stats.applied, ..Default::default() };
	let probe = recorder.clone();
	let (_, results) = ext.execute_with_recorder(recorder, || {
		builder.build_observed(extrinsics, |step| match step {
			Applying::Before(_) => started = (probe.estimate_encoded_size(), Instant::now()),
			Applying::After(xt, result) => {
				let elapsed = started.1.elapsed();
				let proof = probe.estimate_encoded_size().saturating_sub(started.0);
				check_extrinsic(xt, result, proof, elapsed, &mut block_stats);
				check_block_limits();
			},
		})
	});
	stats.blocks += 1;
	stats.add(&block_stats);
	stats.applied = block_stats.applied;
	for result in &results {
		match result {
			Ok(Ok(())) => stats.succeeded += 1,
			Ok(Err(_)) => stats.failed += 1,
			Err(_) => stats.invalid += 1,
		}
	}
	ext.execute_with(|| {
		check_invariants();
		let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
		assert!(issuance <= issuance_before, "issuance grew: {issuance_before} -> {issuance}");
		let burnt = burnt_in_block();
		assert_eq!(
			issuance_before - issuance,
			burnt,
			"the issuance fell by {} but the block's fees and burns are {burnt}: {:#?}",
			issuance_before - issuance,
			frame_system::Pallet::<Runtime>::events()
				.into_iter()
				.map(|r| r.event)
				.filter(|e| matches!(
					e,
					RuntimeEvent::Balances(_)
						| RuntimeEvent::TransactionPayment(_)
						| RuntimeEvent::EhrIdentity(_)
						| RuntimeEvent::EhrRecords(_)
						| RuntimeEvent::EhrConsent(_)
				))
				.collect::<Vec<_>>()
		);
		known.learn();
		check_trails(&known.patients);
	});
	// The next block reads the state from the trie (as a collator does), not the overlay.
	ext.commit_all().expect("the block's changes commit");
}

/// Two blocks every run starts with (unless its first byte says not to), so the random calls
/// find patients, consents and a record: Charlie, Eve and Ferdie register; each grants the
/// development preset's physician Bob every category for every purpose; Bob anchors a record
/// for each.
fn prelude(
	ext: &mut TestExternalities,
	builder: &mut BlockBuilder,
	stats: &mut Stats,
	known: &mut Known,
) {
	use Sr25519Keyring::{Bob, Charlie, Eve, Ferdie};
	let register = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::register_patient {});
	let xts = ext
		.execute_with(|| [Charlie, Eve, Ferdie].map(|k| signed(register.clone(), k, 0)).to_vec());
	apply_block(ext, builder, xts, stats, known);
	let patients = known.patients.clone();
	let xts = ext.execute_with(|| {
		let mut xts = Vec::new();
		for (i, (key, patient)) in [Charlie, Eve, Ferdie].into_iter().zip(patients).enumerate() {
			xts.push(signed(
				RuntimeCall::EhrConsent(pallet_ehr_consent::Call::grant_consent {
					patient,
					grantee: Grantee::Provider(Bob.to_account_id()),
					categories: common::sealed(DataCategory::ALL),
					actions: Actions::ALL,
					purposes: Purposes::ALL,
					roles: ProviderRoles::ALL,
					valid_from: 0,
					valid_until: None,
				}),
				key,
				1,
			));
			xts.push(signed(
				RuntimeCall::EhrRecords(pallet_ehr_records::Call::anchor_record {
					patient,
					category: common::tag(DataCategory::Laboratory),
					digest: Digest {
						algorithm: DigestAlgorithm::Sha2_256,
						hash: [i as u8 + 1; 32],
					},
					locator: None,
					predecessor: None,
					purpose: PurposeOfUse::Treatment,
				}),
				Bob,
				i as u32,
			));
		}
		xts
	});
	apply_block(ext, builder, xts, stats, known);
}

/// Whether [`run`] checks each extrinsic's CPU time against its ref time; the cargo-fuzz target
/// turns it off (its instrumented code is slower than the runtime's).
pub static CHECK_TIME: AtomicBool = AtomicBool::new(true);

/// The extrinsic's checks: its measured proof and native time within its declared weight.
fn check_extrinsic(
	xt: &UncheckedExtrinsic,
	result: &polkadot_sdk::sp_runtime::ApplyExtrinsicResult,
	proof: usize,
	elapsed: Duration,
	stats: &mut Stats,
) {
	let info = xt.get_dispatch_info();
	let base = <Runtime as frame_system::Config>::BlockWeights::get()
		.get(info.class)
		.base_extrinsic;
	let declared = info.total_weight().saturating_add(base);
	let name = call_name(&xt.function);
	// An invalid extrinsic is not included, and so not charged: its reads were the pool's
	// validation, which the node bounds on its own.
	if result.is_err() {
		stats.applied += 1;
		return;
	}
	let proof_ratio = proof as f64 / (declared.proof_size().max(1)) as f64;
	let time_ps = elapsed.as_nanos().saturating_mul(1_000);
	let time_ratio = time_ps as f64 / (declared.ref_time().max(1)) as f64;
	let entry = stats.calls.entry(name.clone()).or_default();
	match result {
		Ok(Ok(())) => entry.ok += 1,
		Ok(Err(e)) => {
			let module = match e {
				polkadot_sdk::sp_runtime::DispatchError::Module(m) => {
					m.message.unwrap_or("?").to_string()
				},
				other => format!("{other:?}"),
			};
			*stats.errors.entry(format!("{name}: {module}")).or_default() += 1;
		},
		Err(_) => {},
	}
	entry.max_proof_ratio = entry.max_proof_ratio.max(proof_ratio);
	entry.max_time_ratio = entry.max_time_ratio.max(time_ratio);
	assert!(
		proof as u64 <= declared.proof_size(),
		"{name} read a proof of {proof} bytes but declares {} ({result:?}): {:?}",
		declared.proof_size(),
		xt.function
	);
	// A time over the bound may be the machine's (a page fault, a cold cache): noted here, and
	// a failure only if the same extrinsic is over it in every rerun of the input ([`run`]).
	// Not under cargo-fuzz: its coverage instrumentation slows every line, so its times are not
	// the runtime's (the seeded test, an optimised build, checks them).
	if CHECK_TIME.load(Ordering::Relaxed) && time_ps > u128::from(declared.ref_time()) {
		stats.slow.push(Slow {
			extrinsic: stats.applied,
			call: format!("{:?}", xt.function),
			elapsed,
			declared: declared.ref_time(),
		});
	}
	stats.applied += 1;
}

/// The block's consumed weight per class and length within the runtime's limits.
fn check_block_limits() {
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	let consumed = frame_system::BlockWeight::<Runtime>::get();
	for class in [DispatchClass::Normal, DispatchClass::Operational] {
		if let Some(max) = limits.get(class).max_total {
			assert!(
				consumed.get(class).all_lte(max),
				"{class:?} weight {:?} over its limit {max:?}",
				consumed.get(class)
			);
		}
	}
	assert!(
		consumed.total().all_lte(limits.max_block)
			|| consumed.get(DispatchClass::Mandatory).any_gt(Weight::zero()),
		"block weight {:?} over {:?}",
		consumed.total(),
		limits.max_block
	);
	let length = frame_system::Pallet::<Runtime>::block_size();
	let max_length = *<Runtime as frame_system::Config>::BlockLength::get()
		.max
		.get(DispatchClass::Normal);
	assert!(length <= max_length, "block length {length} over {max_length}");
}

/// Every known patient's trail, read through the functions `AuditApi` serves, folds onto the
/// head it reports.
fn check_trails(patients: &[PatientId]) {
	for patient in patients {
		let Some(trail) = pallet_ehr_audit::Pallet::<Runtime>::trail_head(*patient) else {
			continue;
		};
		let mut entries = Vec::new();
		let mut from = trail.first_retained;
		while from < trail.count {
			let page = pallet_ehr_audit::Pallet::<Runtime>::trail_entries(*patient, from, 100);
			if page.is_empty() {
				break;
			}
			from = from.saturating_add(page.len() as u64);
			entries.extend(page);
		}
		assert_eq!(
			entries.len() as u64,
			trail.count - trail.first_retained,
			"the trail API serves every retained entry"
		);
		let head = pallet_ehr_audit::fold_chain(trail.anchor, entries.iter());
		assert_eq!(head, trail.head, "the trail API's entries fold onto the head it reports");
	}
}

/// A deterministic byte string for `seed` (SplitMix64), the seeded test's inputs.
pub fn bytes_from_seed(seed: u64, len: usize) -> Vec<u8> {
	let mut state = seed;
	let mut out = Vec::with_capacity(len);
	while out.len() < len {
		state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = state;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^= z >> 31;
		out.extend_from_slice(&z.to_le_bytes());
	}
	out.truncate(len);
	out
}
