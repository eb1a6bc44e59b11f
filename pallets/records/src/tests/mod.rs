//! Tests of the records pallet, against the real identity, consent and audit pallets: who may
//! anchor (write consents, their periods and revocation, emergency windows, the patient side,
//! closed identities), version chains, retraction, erasure and its tombstones, erasure of a
//! closed patient in bounded steps, batches with Merkle proofs, and audited access with denied
//! attempts recorded.

use crate::{mock::*, pallet::*, types::*, Error};
use ehr_primitives::{
	hashing::{merkle_proof, merkle_root, salted_digest},
	Action, Actions, AuditAction, AuditActor, AuditEntity, AuditOutcome, CategoryTag, ConsentId,
	DataCategory, DenialReason, Digest, DigestAlgorithm, Grantee, OrgId, PatientId, PurposeOfUse,
	Purposes, RecordId, SealedCategories,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok, dispatch::DispatchResult, traits::fungible::InspectHold,
	},
	sp_runtime::DispatchError,
};

/// The patient's laboratory tag (under its test category key).
fn lab() -> CategoryTag {
	ehr_primitives::testing::tag(&patient(), DataCategory::Laboratory)
}

/// The sealed set of laboratory data alone (padded with decoys).
fn lab_set() -> SealedCategories {
	ehr_primitives::testing::sealed(&patient(), &[DataCategory::Laboratory])
}
const TREAT: PurposeOfUse = PurposeOfUse::Treatment;
const LOCATOR: [u8; 32] = [7; 32];

/// The salted digest of test document `n`.
fn digest(n: u8) -> Digest {
	salted_digest(DigestAlgorithm::Sha2_256, &[n; 32], b"test document")
}

fn go_to(n: u64) {
	System::set_block_number(n);
}

/// Alice grants `grantee` `actions` on `categories` for `purposes`, from `from` to `until`.
fn grant_to(
	grantee: Grantee<u64>,
	categories: SealedCategories,
	actions: Actions,
	purposes: Purposes,
	from: u64,
	until: Option<u64>,
) -> ConsentId {
	assert_ok!(Consent::grant_consent(
		RuntimeOrigin::signed(ALICE),
		patient(),
		grantee,
		categories,
		actions,
		purposes,
		ehr_primitives::ProviderRoles::ALL,
		from,
		until
	));
	pallet_ehr_consent::Grants::<Test>::get(patient(), grantee)
		.last()
		.expect("granted")
		.id()
}

/// Alice grants organisation 0 read and write on laboratory data for treatment.
fn grant_org0() -> ConsentId {
	grant_to(Grantee::Organisation(OrgId(0)), lab_set(), Actions::ALL, TREAT.into(), 0, None)
}

fn anchor_call(who: u64, d: Digest, predecessor: Option<RecordId>) -> DispatchResult {
	EhrRecords::anchor_record(
		RuntimeOrigin::signed(who),
		patient(),
		lab(),
		d,
		Some(LOCATOR),
		predecessor,
		TREAT,
	)
}

/// Anchors document `n` by `who` and returns its id.
fn anchor(who: u64, n: u8, predecessor: Option<RecordId>) -> RecordId {
	let d = digest(n);
	assert_ok!(anchor_call(who, d, predecessor));
	EhrRecords::record_id(&d)
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RecordHoldReason::get(), &who)
}

fn trail(patient: PatientId) -> Vec<pallet_ehr_audit::AuditEntryOf<Test>> {
	Audit::trail_entries(patient, 0, 100)
}

fn last_entry() -> pallet_ehr_audit::AuditEntryOf<Test> {
	*trail(patient()).last().expect("an entry")
}

#[test]
fn calls_need_a_signed_origin() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			EhrRecords::anchor_record(
				RuntimeOrigin::root(),
				patient(),
				lab(),
				digest(1),
				None,
				None,
				TREAT
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			EhrRecords::record_access(RuntimeOrigin::none(), patient(), RecordId(0), TREAT),
			DispatchError::BadOrigin
		);
		assert_noop!(
			EhrRecords::anchor_batch(RuntimeOrigin::root(), [1; 32], 1),
			DispatchError::BadOrigin
		);
	});
}

mod access;
mod anchor;
mod batch;
mod retract_and_erase;
mod security;
