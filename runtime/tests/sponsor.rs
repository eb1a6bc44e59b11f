//! Patients who hold no tokens, in the real runtime through signed extrinsics: an organisation
//! onboards a patient's key with its signed agreement, then the key's grant, revoke, guardian
//! and close are meta transactions the organisation submits (`EhrSponsor.dispatch`). The key's
//! balance stays zero; the sponsor pays exactly the fees and the deposits; everything is in the
//! patient's audit trail.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
// With `runtime-benchmarks` the runtime takes meta transactions with a weightless extension
// (the benchmarks' own); these tests sign the real one.
#![cfg(not(feature = "runtime-benchmarks"))]
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod common;

use codec::Encode;
use common::{account, ext_from_preset, signed, BlockBuilder, ExecuteChecked};
use ehr_primitives::{
	AccessDecision, AccessRequest, Action, Actions, AuditAction, DataCategory, Grantee, OrgId,
	PatientId, PurposeOfUse, Purposes,
};
use ehr_runtime::{
	configs::ehr::MetaTxBareExtension, AccountId, Balances, EhrAudit, EhrConsent, EhrIdentity,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, System,
};
use polkadot_sdk::{
	frame_support::traits::fungible::{Inspect, InspectHold},
	frame_system, pallet_meta_tx, pallet_transaction_payment,
	pallet_verify_signature::VerifySignature,
	sp_core::{sr25519, Pair},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring::{Bob, Dave, Eve},
	sp_runtime::traits::{Convert, IdentifyAccount},
	sp_runtime::{generic::Era, traits::TransactionExtension, MultiSignature, MultiSigner},
};

/// A patient's key that never held a token.
fn patient_key() -> sr25519::Pair {
	sr25519::Pair::from_string("//ZeroBalancePatient", None).expect("a dev key")
}

fn account_of(pair: &sr25519::Pair) -> AccountId {
	MultiSigner::Sr25519(pair.public()).into_account()
}

/// `call` as a meta transaction signed by `pair` with its current nonce; `genesis` replaces the
/// chain's genesis hash in what is signed.
fn meta_tx(
	call: RuntimeCall,
	pair: &sr25519::Pair,
	genesis: Option<polkadot_sdk::sp_core::H256>,
) -> Box<pallet_meta_tx::MetaTxFor<Runtime>> {
	let who = account_of(pair);
	let ext: MetaTxBareExtension = (
		pallet_meta_tx::MetaTxMarker::new(),
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(frame_system::Pallet::<Runtime>::account_nonce(&who)),
	);
	let implicit = ext.implicit().expect("implicit data is available");
	let payload = match genesis {
		None => (0u8, &call, &ext, implicit).encode(),
		Some(other) => {
			let (marker, (), spec, tx, _, _, ()) = implicit;
			(0u8, &call, &ext, (marker, (), spec, tx, other, other, ())).encode()
		},
	};
	let signature = MultiSignature::Sr25519(pair.sign(&blake2_256(&payload)));
	Box::new(pallet_meta_tx::MetaTxFor::<Runtime>::new(
		call,
		0,
		(VerifySignature::new_with_signature(signature, who), ext),
	))
}

fn sponsored(meta: Box<pallet_meta_tx::MetaTxFor<Runtime>>) -> RuntimeCall {
	let len = meta.encoded_size() as u32;
	RuntimeCall::EhrSponsor(pallet_ehr_sponsor::Call::dispatch {
		meta_tx: meta,
		meta_tx_encoded_len: len,
	})
}

/// The target call's result in this block's `MetaTx::Dispatched` event.
fn inner_result() -> Result<(), polkadot_sdk::sp_runtime::DispatchError> {
	System::events()
		.into_iter()
		.find_map(|r| match r.event {
			RuntimeEvent::MetaTx(pallet_meta_tx::Event::Dispatched { result }) => {
				Some(result.map(|_| ()).map_err(|e| e.error))
			},
			_ => None,
		})
		.expect("a Dispatched event")
}

/// Fees `who` paid in this block.
fn fees_paid(who: &AccountId) -> u128 {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid {
					who: payer,
					actual_fee,
					tip,
				},
			) if &payer == who => Some(actual_fee + tip),
			_ => None,
		})
		.sum()
}

fn holds(who: &AccountId) -> u128 {
	let identity = RuntimeHoldReason::EhrIdentity(pallet_ehr_identity::HoldReason::PatientDeposit);
	let consent = RuntimeHoldReason::EhrConsent(pallet_ehr_consent::HoldReason::ConsentDeposit);
	Balances::balance_on_hold(&identity, who) + Balances::balance_on_hold(&consent, who)
}

fn lab_read(patient: PatientId) -> AccessRequest {
	AccessRequest {
		patient,
		category: common::tag(DataCategory::Laboratory),
		action: Action::Read,
		purpose: PurposeOfUse::Treatment,
	}
}

fn grant_to_bob(patient: PatientId) -> RuntimeCall {
	RuntimeCall::EhrConsent(pallet_ehr_consent::Call::grant_consent {
		patient,
		grantee: Grantee::Provider(account(Bob)),
		categories: common::sealed(&[DataCategory::Laboratory]),
		actions: Actions::from(Action::Read),
		purposes: Purposes::from(PurposeOfUse::Treatment),
		roles: ehr_primitives::ProviderRoles::ALL,
		valid_from: 0,
		valid_until: None,
	})
}

#[test]
fn a_patient_who_never_held_a_token_is_onboarded_consents_revokes_and_closes_through_a_sponsor() {
	let mut builder = BlockBuilder::default();
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let key = patient_key();
		let me = account_of(&key);
		// Dave is organisation 0's admin in the development preset; he is the sponsor.
		let sponsor = account(Dave);
		let dave_nonce = std::cell::Cell::new(0u32);
		// Applies `call` signed by Dave in a block; returns the change in Dave's deposits. `burnt`:
		// what closing burns of a deposit (a tombstone's share), which leaves the holds but does
		// not come back.
		let step = |call: RuntimeCall, builder: &mut BlockBuilder, burnt: u128| {
			let free = Balances::free_balance(&sponsor);
			let held = holds(&sponsor);
			let (_, results) = builder.build(vec![signed(call, Dave, dave_nonce.get())]);
			dave_nonce.set(dave_nonce.get() + 1);
			assert_eq!(results[0], Ok(Ok(())));
			// The sponsor pays exactly the fee and the change in its deposits.
			let fee = fees_paid(&sponsor);
			assert!(fee > 0);
			let held_after = holds(&sponsor);
			let held_change = held_after as i128 - held as i128;
			assert_eq!(
				free as i128 - Balances::free_balance(&sponsor) as i128,
				fee as i128 + held_change + burnt as i128,
				"the sponsor's balance changes by the fee and the deposits"
			);
			assert_eq!(Balances::total_balance(&me), 0, "the patient's key holds nothing");
			held_change
		};

		// Block 1: intake. The key signs its agreement; Dave onboards it.
		builder.build(vec![]);
		let expires_at = builder.relay_number(2) + 10;
		let agreement = EhrIdentity::onboarding_payload(OrgId(0), &me, expires_at);
		let proof = MultiSignature::Sr25519(key.sign(&agreement));
		let identity_deposit = step(
			RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::onboard_patient {
				organisation: OrgId(0),
				controller: me.clone(),
				expires_at,
				proof,
			}),
			&mut builder,
			0,
		);
		assert!(identity_deposit > 0);
		let patient = pallet_ehr_identity::PatientOf::<Runtime>::get(&me).expect("onboarded");

		// Grant, sponsored: the sponsor holds the grant's deposit.
		let consent_deposit =
			step(sponsored(meta_tx(grant_to_bob(patient), &key, None)), &mut builder, 0);
		assert_eq!(inner_result(), Ok(()));
		assert!(consent_deposit > 0);
		let grants =
			pallet_ehr_consent::Grants::<Runtime>::iter_prefix(patient).collect::<Vec<_>>();
		assert_eq!(grants.len(), 1, "one grantee");
		let consent = grants[0].1.last().expect("granted").clone();
		let consent_id = consent.id();
		assert_eq!(consent.granted_by, sponsor);
		assert!(matches!(
			EhrConsent::check_access(&account(Bob), &lab_read(patient)),
			AccessDecision::Permitted(_)
		));

		// Revoke, sponsored: the deposit stays held until the grant is reaped.
		let revoke = RuntimeCall::EhrConsent(pallet_ehr_consent::Call::revoke_consent {
			patient,
			grantee: Grantee::Provider(account(Bob)),
			consent_id,
		});
		assert_eq!(step(sponsored(meta_tx(revoke, &key, None)), &mut builder, 0), 0);
		assert_eq!(inner_result(), Ok(()));
		assert!(!matches!(
			EhrConsent::check_access(&account(Bob), &lab_read(patient)),
			AccessDecision::Permitted(_)
		));

		// A replayed meta transaction is refused: its nonce is spent.
		let guardian = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::add_guardian {
			guardian: account(Eve),
			until: None,
		});
		let add_guardian = meta_tx(guardian, &key, None);
		assert_eq!(step(sponsored(add_guardian.clone()), &mut builder, 0), 0);
		assert_eq!(inner_result(), Ok(()));
		let (_, results) =
			builder.build(vec![signed(sponsored(add_guardian), Dave, dave_nonce.get())]);
		dave_nonce.set(dave_nonce.get() + 1);
		let error = results[0].expect("valid transaction").expect_err("replay fails");
		assert_eq!(error, pallet_meta_tx::Error::<Runtime>::Stale.into());

		// Signed for another chain: refused.
		let close = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::close_patient {});
		let foreign = meta_tx(close.clone(), &key, Some([7; 32].into()));
		let (_, results) = builder.build(vec![signed(sponsored(foreign), Dave, dave_nonce.get())]);
		dave_nonce.set(dave_nonce.get() + 1);
		let error = results[0].expect("valid transaction").expect_err("foreign chain");
		assert_eq!(error, pallet_meta_tx::Error::<Runtime>::BadProof.into());

		// Signed by a key that is not a controller (Eve, the guardian): the identity's error.
		let eve_close = {
			let pair = sr25519::Pair::from_string("//Eve", None).expect("dev key");
			meta_tx(close.clone(), &pair, None)
		};
		step(sponsored(eve_close), &mut builder, 0);
		assert_eq!(
			inner_result(),
			Err(pallet_ehr_identity::Error::<Runtime>::NotController.into())
		);

		// Close, sponsored: the identity's deposit goes back to the sponsor, less the
		// tombstone's share.
		let tombstone = <ehr_runtime::configs::ehr::StorageDeposit as Convert<_, u128>>::convert(
			EhrIdentity::tombstone_footprint(),
		);
		let released = step(sponsored(meta_tx(close, &key, None)), &mut builder, tombstone);
		assert_eq!(inner_result(), Ok(()));
		assert_eq!(released, -identity_deposit, "the identity's whole deposit is off hold");
		assert!(pallet_ehr_identity::ClosedPatients::<Runtime>::contains_key(patient));

		// Every step is in the patient's audit trail.
		let actions: Vec<_> =
			EhrAudit::trail_entries(patient, 0, 100).into_iter().map(|e| e.action).collect();
		assert_eq!(
			actions,
			vec![
				AuditAction::PatientOnboarded,
				AuditAction::ConsentGranted,
				AuditAction::ConsentRevoked,
				AuditAction::GuardianAdded,
				AuditAction::PatientClosed,
			]
		);
	});
}

#[test]
fn meta_transactions_go_through_the_sponsor_only() {
	let mut builder = BlockBuilder::default();
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		builder.build(vec![]);
		let pair = sr25519::Pair::from_string("//Eve", None).expect("dev key");
		let meta = meta_tx(
			RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
			&pair,
			None,
		);
		let len = meta.encoded_size() as u32;
		let direct = RuntimeCall::MetaTx(pallet_meta_tx::Call::dispatch {
			meta_tx: meta,
			meta_tx_encoded_len: len,
		});
		let (_, results) = builder.build(vec![signed(direct, Dave, 0)]);
		let error = results[0].expect("valid transaction").expect_err("filtered");
		assert_eq!(error, frame_system::Error::<Runtime>::CallFiltered.into());
	});
}

#[test]
fn a_patient_who_lost_every_key_recovers_through_friends_and_claims_without_tokens() {
	use polkadot_sdk::sp_keyring::Sr25519Keyring::{Alice, Charlie};
	let mut builder = BlockBuilder::default();
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let delay = ehr_runtime::configs::ehr::MIN_RECOVERY_DELAY;
		let new_key = sr25519::Pair::from_string("//CharliesNewPhone", None).expect("a dev key");
		let new = account_of(&new_key);
		// Charlie registers and names Alice and Bob, both needed, with the shortest delay.
		let friends = vec![account(Alice), account(Bob)].try_into().expect("within the bound");
		let (_, results) = builder.build(vec![
			signed(
				RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::register_patient {}),
				Charlie,
				0,
			),
			signed(
				RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::set_recovery {
					friends,
					threshold: 2,
					delay,
				}),
				Charlie,
				1,
			),
		]);
		assert!(results.iter().all(|r| r == &Ok(Ok(()))), "{results:?}");
		let patient =
			pallet_ehr_identity::PatientOf::<Runtime>::get(account(Charlie)).expect("registered");

		// Charlie loses his phone. Alice starts the recovery to his new key.
		let (_, results) = builder.build(vec![signed(
			RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::initiate_recovery {
				patient,
				new_controller: new.clone(),
			}),
			Alice,
			0,
		)]);
		assert_eq!(results[0], Ok(Ok(())));
		let started = builder.relay_number(builder.parent.number);
		let claim = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::claim_recovery { patient });

		// Below the threshold: refused (the new key claims through Dave, holding nothing).
		let (_, results) =
			builder.build(vec![signed(sponsored(meta_tx(claim.clone(), &new_key, None)), Dave, 0)]);
		assert_eq!(results[0], Ok(Ok(())));
		assert_eq!(
			inner_result(),
			Err(pallet_ehr_identity::Error::<Runtime>::RecoveryThresholdNotMet.into())
		);
		let (_, results) = builder.build(vec![signed(
			RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::approve_recovery { patient }),
			Bob,
			0,
		)]);
		assert_eq!(results[0], Ok(Ok(())));
		// Before the delay: refused.
		let (_, results) =
			builder.build(vec![signed(sponsored(meta_tx(claim.clone(), &new_key, None)), Dave, 1)]);
		assert_eq!(results[0], Ok(Ok(())));
		assert_eq!(
			inner_result(),
			Err(pallet_ehr_identity::Error::<Runtime>::RecoveryDelayNotOver.into())
		);

		// After the delay: the new key controls the same identity; the lost key does nothing.
		builder.skip_to(started + delay + 1);
		let (_, results) =
			builder.build(vec![signed(sponsored(meta_tx(claim, &new_key, None)), Dave, 2)]);
		assert_eq!(results[0], Ok(Ok(())));
		assert_eq!(inner_result(), Ok(()));
		assert_eq!(pallet_ehr_identity::PatientOf::<Runtime>::get(&new), Some(patient));
		assert_eq!(pallet_ehr_identity::PatientOf::<Runtime>::get(account(Charlie)), None);
		assert_eq!(Balances::total_balance(&new), 0);
		let (_, results) = builder.build(vec![signed(
			RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::close_patient {}),
			Charlie,
			2,
		)]);
		assert_eq!(
			results[0],
			Ok(Err(pallet_ehr_identity::Error::<Runtime>::NotController.into()))
		);
		let actions: Vec<_> =
			EhrAudit::trail_entries(patient, 0, 100).into_iter().map(|e| e.action).collect();
		assert_eq!(
			actions,
			vec![
				AuditAction::RecoveryConfigured,
				AuditAction::RecoveryInitiated,
				AuditAction::RecoveryApproved,
				AuditAction::Recovered,
			]
		);
	});
}
