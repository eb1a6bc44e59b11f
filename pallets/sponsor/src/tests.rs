//! Sponsored calls through the real meta transaction pipeline: signatures, nonces, genesis and
//! who pays. (Built without `runtime-benchmarks`, whose meta transaction extension is
//! weightless and signs nothing.)
#![cfg(not(feature = "runtime-benchmarks"))]

use crate::{mock::*, CurrentSponsor, Error};
use codec::Encode;
use ehr_primitives::{OrgId, PatientId};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{Inspect, InspectHold},
	},
	frame_system,
	pallet_meta_tx::{self, MetaTxFor, MetaTxMarker},
	pallet_verify_signature::VerifySignature,
	sp_core::H256,
	sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{generic::Era, traits::TransactionExtension, DispatchError, MultiSignature},
};

fn bare_ext(signer: &AccountId) -> MetaTxBareExtension {
	(
		MetaTxMarker::new(),
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckMortality::from(Era::immortal()),
		frame_system::CheckNonce::from(frame_system::Pallet::<Test>::account(signer).nonce),
	)
}

/// `call` signed by `key` as a meta transaction; `genesis` replaces this chain's genesis hash in
/// what is signed (a transaction meant for another chain).
fn meta_tx_for(call: RuntimeCall, key: Sr25519Keyring, genesis: Option<H256>) -> MetaTxFor<Test> {
	let signer = key.to_account_id();
	let ext = bare_ext(&signer);
	let implicit = ext.implicit().unwrap();
	let payload = match genesis {
		None => (0u8, &call, &ext, implicit).encode(),
		Some(other) => {
			let (marker, (), spec, tx, _, _, ()) = implicit;
			(0u8, &call, &ext, (marker, (), spec, tx, other, other, ())).encode()
		},
	};
	let signature = MultiSignature::Sr25519(key.sign(&blake2_256(&payload)));
	MetaTxFor::<Test>::new(call, 0, (VerifySignature::new_with_signature(signature, signer), ext))
}

fn meta_tx(call: RuntimeCall, key: Sr25519Keyring) -> MetaTxFor<Test> {
	meta_tx_for(call, key, None)
}

fn sponsor_dispatch(
	by: AccountId,
	tx: MetaTxFor<Test>,
) -> polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo {
	let len = tx.encoded_size() as u32;
	Sponsor::dispatch(RuntimeOrigin::signed(by), Box::new(tx), len)
}

/// The target call's result in the last `MetaTx::Dispatched` event.
fn inner_result() -> Result<(), DispatchError> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::MetaTx(pallet_meta_tx::Event::Dispatched { result }) => {
				Some(result.map(|_| ()).map_err(|e| e.error))
			},
			_ => None,
		})
		.expect("a Dispatched event")
}

fn patient_reason() -> RuntimeHoldReason {
	RuntimeHoldReason::Identity(pallet_ehr_identity::HoldReason::PatientDeposit)
}

/// Onboards `key` at organisation 0, by the sponsor (its admin): the key holds nothing.
fn onboard(key: Sr25519Keyring) -> PatientId {
	let controller = key.to_account_id();
	let expires_at = System::block_number() + 10;
	let payload = Identity::onboarding_payload(OrgId(0), &controller, expires_at);
	let proof = MultiSignature::Sr25519(key.sign(&payload));
	assert_ok!(Identity::onboard_patient(
		RuntimeOrigin::signed(sponsor()),
		OrgId(0),
		controller.clone(),
		expires_at,
		proof
	));
	pallet_ehr_identity::PatientOf::<Test>::get(&controller).unwrap()
}

#[test]
fn a_zero_balance_key_acts_through_a_sponsor_and_the_sponsor_pays() {
	build_and_execute(|| {
		let patient_key = Sr25519Keyring::Charlie;
		let me = patient_key.to_account_id();
		let patient = onboard(patient_key);
		assert_eq!(Balances::total_balance(&me), 0);
		let deposit = Balances::balance_on_hold(&patient_reason(), &sponsor());
		assert!(deposit > 0, "the organisation holds the identity's deposit");

		// A guardian, added by the patient's key, submitted and paid for by the relayer.
		let guardian = Sr25519Keyring::Dave.to_account_id();
		let call = RuntimeCall::Identity(pallet_ehr_identity::Call::add_guardian {
			guardian: guardian.clone(),
			until: None,
		});
		assert_ok!(sponsor_dispatch(relayer(), meta_tx(call, patient_key)));
		assert_eq!(inner_result(), Ok(()));
		let record = pallet_ehr_identity::Patients::<Test>::get(patient).unwrap();
		assert_eq!(record.guardians[0].account, guardian);
		assert_eq!(Balances::total_balance(&me), 0);
		assert!(!CurrentSponsor::<Test>::exists());

		// The guardian, holding nothing either, registers an identity of its own through the
		// relayer: the relayer holds that deposit.
		let call = RuntimeCall::Identity(pallet_ehr_identity::Call::register_patient {});
		assert_ok!(sponsor_dispatch(relayer(), meta_tx(call, Sr25519Keyring::Dave)));
		assert_eq!(inner_result(), Ok(()));
		assert_eq!(Balances::balance_on_hold(&patient_reason(), &relayer()), deposit);
		assert_eq!(Balances::total_balance(&guardian), 0);
		let own = pallet_ehr_identity::PatientOf::<Test>::get(&guardian).unwrap();
		assert_eq!(pallet_ehr_identity::Patients::<Test>::get(own).unwrap().depositor, relayer());

		// Closing returns the deposit (less the tombstone's share) to whoever paid it.
		let call = RuntimeCall::Identity(pallet_ehr_identity::Call::close_patient {});
		assert_ok!(sponsor_dispatch(sponsor(), meta_tx(call, patient_key)));
		assert_eq!(inner_result(), Ok(()));
		assert!(Balances::balance_on_hold(&patient_reason(), &sponsor()) == 0);
		assert_eq!(Balances::balance_on_hold(&patient_reason(), &relayer()), deposit);
	});
}

#[test]
fn a_replayed_meta_transaction_is_stale() {
	build_and_execute(|| {
		let key = Sr25519Keyring::Charlie;
		onboard(key);
		let call = RuntimeCall::Identity(pallet_ehr_identity::Call::add_guardian {
			guardian: Sr25519Keyring::Dave.to_account_id(),
			until: None,
		});
		let tx = meta_tx(call, key);
		assert_ok!(sponsor_dispatch(relayer(), tx.clone()));
		assert_noop!(sponsor_dispatch(relayer(), tx), pallet_meta_tx::Error::<Test>::Stale);
	});
}

#[test]
fn a_meta_transaction_signed_for_another_chain_is_refused() {
	build_and_execute(|| {
		let key = Sr25519Keyring::Charlie;
		onboard(key);
		let call = RuntimeCall::Identity(pallet_ehr_identity::Call::add_guardian {
			guardian: Sr25519Keyring::Dave.to_account_id(),
			until: None,
		});
		let tx = meta_tx_for(call, key, Some(H256::repeat_byte(7)));
		assert_noop!(sponsor_dispatch(relayer(), tx), pallet_meta_tx::Error::<Test>::BadProof);
	});
}

#[test]
fn a_key_with_no_account_cannot_sign() {
	build_and_execute(|| {
		// Eve controls nothing and holds nothing: her account does not exist, so she has no
		// nonce to sign with (`CheckNonce` says `Payment`, which the meta transaction reports
		// as `Invalid`).
		let call = RuntimeCall::Identity(pallet_ehr_identity::Call::register_patient {});
		assert_noop!(
			sponsor_dispatch(relayer(), meta_tx(call, Sr25519Keyring::Eve)),
			pallet_meta_tx::Error::<Test>::Invalid
		);
	});
}

#[test]
fn a_non_controller_gets_the_identity_error_and_the_sponsor_pays_the_fee() {
	build_and_execute(|| {
		onboard(Sr25519Keyring::Charlie);
		// Dave is Charlie's guardian, so his account exists; he controls nothing.
		let call = RuntimeCall::Identity(pallet_ehr_identity::Call::add_guardian {
			guardian: Sr25519Keyring::Dave.to_account_id(),
			until: None,
		});
		assert_ok!(sponsor_dispatch(relayer(), meta_tx(call, Sr25519Keyring::Charlie)));
		let call = RuntimeCall::Identity(pallet_ehr_identity::Call::close_patient {});
		assert_ok!(sponsor_dispatch(relayer(), meta_tx(call, Sr25519Keyring::Dave)));
		assert_eq!(inner_result(), Err(pallet_ehr_identity::Error::<Test>::NotController.into()));
	});
}

#[test]
fn a_sponsored_call_cannot_sponsor_another() {
	build_and_execute(|| {
		onboard(Sr25519Keyring::Charlie);
		let inner = meta_tx(
			RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
			Sr25519Keyring::Charlie,
		);
		let len = inner.encoded_size() as u32;
		let call = RuntimeCall::Sponsor(crate::Call::dispatch {
			meta_tx: Box::new(inner),
			meta_tx_encoded_len: len,
		});
		// The inner meta transaction is never checked: the nesting is refused first.
		let outer = meta_tx(call, Sr25519Keyring::Charlie);
		assert_ok!(sponsor_dispatch(relayer(), outer));
		assert_eq!(inner_result(), Err(Error::<Test>::NestedSponsorship.into()));
		assert!(!CurrentSponsor::<Test>::exists());
	});
}

#[test]
fn outside_a_sponsored_call_the_signer_pays() {
	build_and_execute(|| {
		use ehr_primitives::DepositPayer;
		assert_eq!(<Sponsor as DepositPayer<AccountId>>::payer(&relayer()), relayer());
		assert_noop!(
			Sponsor::dispatch(
				RuntimeOrigin::none(),
				Box::new(meta_tx(
					RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
					Sr25519Keyring::Alice
				)),
				1000
			),
			DispatchError::BadOrigin
		);
	});
}
