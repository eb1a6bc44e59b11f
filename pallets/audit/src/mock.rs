//! A test runtime with `frame_system` and this pallet; the clock is the block number times six
//! seconds.

use crate as pallet_ehr_audit;
use ehr_primitives::{
	testing::patient_id, AuditAction, AuditActor, AuditEntity, AuditEvent, AuditOutcome, OrgId,
	PatientId, PurposeOfUse, RecordId,
};
use polkadot_sdk::{
	frame_support::{derive_impl, traits::ConstU32},
	frame_system,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Audit: pallet_ehr_audit,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Milliseconds per block of the test clock.
pub const BLOCK_MS: u64 = 6_000;

/// The test clock: block number × [`BLOCK_MS`].
pub struct BlockClock;

impl polkadot_sdk::frame_support::traits::Time for BlockClock {
	type Moment = u64;
	fn now() -> u64 {
		System::block_number() * BLOCK_MS
	}
}

/// Blocks an entry is kept.
pub const RETENTION: u64 = 100;
/// Entries per page.
pub const PAGE: u32 = 5;

polkadot_sdk::frame_support::parameter_types! {
	pub const Retention: u64 = RETENTION;
}

impl pallet_ehr_audit::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Time = BlockClock;
	type Retention = Retention;
	type MaxPageSize = ConstU32<PAGE>;
	type BlockNumberProvider = System;
	type WeightInfo = ();
}

/// The patient's controller.
pub const ALICE: u64 = 1;
/// A physician of organisation 1.
pub const DOCTOR: u64 = 10;

/// The test patient.
pub fn patient() -> PatientId {
	patient_id(1)
}

/// An entry handed to the sink: `DOCTOR` of organisation 1 accessing record `record`.
pub fn access(record: u64, outcome: AuditOutcome) -> AuditEvent<u64, u64> {
	AuditEvent {
		patient: patient(),
		actor: AuditActor::Account(DOCTOR),
		organisation: Some(OrgId(1)),
		action: AuditAction::RecordAccessed,
		entity: AuditEntity::Record(RecordId(record)),
		purpose: Some(PurposeOfUse::Treatment),
		outcome,
	}
}

/// An entry handed to the sink: the patient's controller granting consent `id`.
pub fn grant(id: u64) -> AuditEvent<u64, u64> {
	AuditEvent {
		patient: patient(),
		actor: AuditActor::Account(ALICE),
		organisation: None,
		action: AuditAction::ConsentGranted,
		entity: AuditEntity::Consent(ehr_primitives::ConsentId(id)),
		purpose: None,
		outcome: AuditOutcome::Success,
	}
}

/// Builds the test externalities at block 1.
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestExternalities {
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext = TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's storage invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			Audit::do_try_state().expect("storage invariants hold after the test");
		});
	}
}
