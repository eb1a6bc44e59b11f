// A patient who never held a token, against a live `ehr-node --dev`: organisation 0's admin
// (Dave, development preset) onboards the patient's key with its signed agreement, then submits
// the key's meta transactions (grant, revoke, a guardian, close) with `ehrSponsor.dispatch` and
// pays for them. The key's balance stays zero; Dave's changes by exactly the fees and deposits;
// every step is in the patient's audit trail. Then one sponsored call through PAPI, and the
// refusals: a replay, a foreign chain, a non-controller.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'polkadot-api';
import { getWsProvider } from 'polkadot-api/ws';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { WebSocket } from '@polkadot/x-ws';
import { startSession } from '../lib/session.js';
import { send } from '../lib/tx.js';
import { ehrClock, foldTrail, genesisHead, ACTION, PURPOSE, ROLES, LAB, sealedOf, storedGrant } from '../lib/ehr.js';
import { u8aToHex } from '@polkadot/util';
import { signMetaTx, signOnboarding, sponsoredCall } from '../lib/sponsor.js';

let session;
let api;
let dave;
let bob;
let eve;
let key;
let patient;

before(async () => {
  session = await startSession(['//Dave', '//Bob', '//Eve', '//PatientWithNoTokens']);
  ({ api } = session);
  [dave, bob, eve, key] = session.keys;
  // The EHR clock (the relay chain's block number) is set from block 1 on.
  while ((await api.rpc.chain.getHeader()).number.toNumber() < 1) await new Promise((r) => setTimeout(r, 500));
});

after(async () => {
  await session?.close();
});

const balance = async (who) => (await api.query.system.account(who)).data;
const find = (result, section, method) => result.events.find(({ event }) => api.events[section][method].is(event))?.event.data;
/** Sends `call` signed by Dave; checks that his balance moved by the fee and his deposits. */
async function byDave(call, { burnt = 0n } = {}) {
  const before = await balance(dave.address);
  const result = await send(api, call, dave);
  const after = await balance(dave.address);
  const fee = find(result, 'transactionPayment', 'TransactionFeePaid');
  assert.ok(fee, 'Dave paid a fee');
  const feeTotal = fee.actualFee.toBigInt() + fee.tip.toBigInt();
  const heldChange = after.reserved.toBigInt() - before.reserved.toBigInt();
  assert.equal(before.free.toBigInt() - after.free.toBigInt(), feeTotal + heldChange + burnt,
    'Dave pays exactly the fee and the deposits');
  const mine = await balance(key.address);
  assert.equal(mine.free.toBigInt() + mine.reserved.toBigInt(), 0n, 'the patient key holds nothing');
  return { result, heldChange };
}
const dispatched = (result) => {
  const data = find(result, 'metaTx', 'Dispatched');
  assert.ok(data, 'metaTx.Dispatched');
  return data.result;
};

test('an organisation onboards a key that never held a token', async () => {
  const expiresAt = (await ehrClock(api)) + 100;
  const proof = await signOnboarding(api, key, 0, expiresAt);
  const { result, heldChange } = await byDave(api.tx.ehrIdentity.onboardPatient(0, key.address, expiresAt, proof));
  assert.ok(heldChange > 0n, 'Dave holds the identity deposit');
  const ev = find(result, 'ehrIdentity', 'PatientOnboarded');
  patient = ev.patient.toHex();
  assert.equal(ev.controller.toString(), key.address);
  // The agreement's nonce is spent: the same agreement again fails.
  await assert.rejects(send(api, api.tx.ehrIdentity.onboardPatient(0, key.address, expiresAt, proof), dave),
    /ehrIdentity\.(BadOnboardingProof|AlreadyController)/);
});

let consentId;
test('the key grants, revokes and adds a guardian; Dave submits and pays', async () => {
  const grant = api.tx.ehrConsent.grantConsent(patient, { Provider: bob.address }, sealedOf('Laboratory'), ACTION.Read,
    PURPOSE.Treatment, ROLES.ALL, 0, null);
  const granted = await byDave(sponsoredCall(api, await signMetaTx(api, grant, key)));
  assert.ok(dispatched(granted.result).isOk);
  assert.ok(granted.heldChange > 0n, 'Dave holds the grant deposit');
  consentId = find(granted.result, 'ehrConsent', 'ConsentGranted').consentId.toString();
  assert.equal((await storedGrant(api, patient, { Provider: bob.address }, consentId)).grantedBy.toString(), dave.address);
  const request = { patient, category: LAB, action: 'Read', purpose: 'Treatment' };
  assert.ok((await api.call.consentApi.checkAccess(bob.address, request)).isPermitted);

  const revoked = await byDave(sponsoredCall(api, await signMetaTx(api, api.tx.ehrConsent.revokeConsent(patient, { Provider: bob.address }, consentId), key)));
  assert.ok(dispatched(revoked.result).isOk);
  assert.equal(revoked.heldChange, 0n, 'the grant deposit stays held until the grant is reaped');
  assert.ok((await api.call.consentApi.checkAccess(bob.address, request)).isDenied);

  const guardian = await byDave(sponsoredCall(api, await signMetaTx(api, api.tx.ehrIdentity.addGuardian(eve.address, null), key)));
  assert.ok(dispatched(guardian.result).isOk);
  assert.deepEqual((await api.query.ehrIdentity.patients(patient)).unwrap().guardians.map((g) => g.account.toString()),
    [eve.address]);
});

test('a replayed, a foreign-chain and a non-controller meta transaction are refused', async () => {
  const meta = await signMetaTx(api, api.tx.ehrIdentity.removeGuardian(patient, eve.address), key);
  const first = await send(api, sponsoredCall(api, meta), dave);
  assert.ok(dispatched(first).isOk);
  await assert.rejects(send(api, sponsoredCall(api, meta), dave), /metaTx\.Stale/);

  // Signed with another chain's genesis hash.
  const foreign = await signMetaTx(api, api.tx.ehrIdentity.closePatient(), key,
    { era: 0, genesisHash: api.registry.createType('Hash', `0x${'07'.repeat(32)}`) });
  await assert.rejects(send(api, sponsoredCall(api, foreign), dave), /metaTx\.BadProof/);

  // Eve controls nothing: the identity's own error, in the Dispatched result.
  const notMine = await send(api, sponsoredCall(api, await signMetaTx(api, api.tx.ehrIdentity.closePatient(), eve)), dave);
  const inner = dispatched(notMine);
  assert.ok(inner.isErr);
  const { section, name } = api.registry.findMetaError(inner.asErr.error.asModule);
  assert.equal(`${section}.${name}`, 'ehrIdentity.NotController');
});

test('one sponsored call through PAPI: it decodes and submits the same meta transaction', async () => {
  const client = createClient(getWsProvider(session.node.wsUrl, { websocketClass: WebSocket }));
  try {
    const unsafe = client.getUnsafeApi();
    const meta = await signMetaTx(api, api.tx.ehrIdentity.addGuardian(eve.address, null), key);
    const tx = await unsafe.txFromCallData(sponsoredCall(api, meta).method.toU8a());
    assert.equal(tx.decodedCall.type, 'EhrSponsor');
    assert.equal(tx.decodedCall.value.type, 'dispatch');
    assert.equal(tx.decodedCall.value.value.meta_tx_encoded_len, meta.length);
    const signer = getPolkadotSigner(dave.publicKey, 'Sr25519', (payload) => dave.sign(payload));
    const result = await tx.signAndSubmit(signer);
    assert.ok(result.ok, `dispatch failed: ${JSON.stringify(result.dispatchError)}`);
    const ev = result.events.find((e) => e.type === 'MetaTx' && e.value.type === 'Dispatched');
    assert.ok(ev, 'MetaTx.Dispatched decodes in PAPI');
    assert.equal(ev.value.value.result.success, true);
  } finally {
    client.destroy();
  }
  assert.equal((await api.query.ehrIdentity.patients(patient)).unwrap().guardians.length, 1);
});

test('the key closes its identity; the deposit goes back to Dave; every step is audited', async () => {
  const reserved = (await balance(dave.address)).reserved.toBigInt();
  const result = await send(api, sponsoredCall(api, await signMetaTx(api, api.tx.ehrIdentity.closePatient(), key)), dave);
  assert.ok(dispatched(result).isOk);
  assert.ok((await balance(dave.address)).reserved.toBigInt() < reserved, 'the identity deposit is released');
  assert.ok((await api.query.ehrIdentity.closedPatients(patient)).isSome);
  const page = await api.call.auditApi.trail(patient, 0, 100);
  assert.deepEqual(page.map((e) => e.action.type), ['PatientOnboarded', 'ConsentGranted', 'ConsentRevoked',
    'GuardianAdded', 'GuardianRemoved', 'GuardianAdded', 'PatientClosed']);
  // The trail still folds to its head: the sponsored steps are ordinary entries of the chain.
  const head = (await api.call.auditApi.trailHead(patient)).unwrap();
  assert.equal(u8aToHex(foldTrail(genesisHead(patient), page.map((e) => e.toU8a()))), head.head.toHex());
});
