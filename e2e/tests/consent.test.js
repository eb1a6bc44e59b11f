// Consent end to end, as an integrator does it with @polkadot/api against a real `ehr-node --dev`:
// a provider accredited by the development preset, a patient registers and grants, the
// provider's access is checked through the ConsentApi runtime API, the patient revokes (free),
// and the check is denied from that block on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession } from '../lib/session.js';
import { send } from '../lib/tx.js';

let session;
let node;
let api;
let bob;
let dave;
let eve;

before(async () => {
  session = await startSession(['//Bob', '//Dave', '//Eve']);
  ({ node, api } = session);
  [bob, dave, eve] = session.keys;
});

after(async () => {
  await session?.close();
});

const LABORATORY = 1 << 4;
const READ = 1 << 0;
const TREATMENT = 1 << 0;

test('grant, check through the runtime API, revoke, check again', async (t) => {
  t.after(() => { if (t.passed === false) t.diagnostic(node.log()); });

  // The development preset has organisation 0 (admin Dave) with Bob accredited as a physician.
  assert.equal((await api.query.ehrIdentity.organisations(0)).unwrap().admin.unwrap().toString(), dave.address);
  const provider = (await api.query.ehrIdentity.providers(bob.address)).unwrap();
  assert.equal(provider.status.type, 'Active');
  assert.equal(provider.role.type, 'Physician');

  // Eve registers a patient identity; the chain generates the id.
  const registered = await send(api, api.tx.ehrIdentity.registerPatient(), eve);
  const event = registered.events.find(({ event }) => api.events.ehrIdentity.PatientRegistered.is(event));
  assert.ok(event, 'PatientRegistered is emitted');
  const patient = event.event.data.patient.toHex();
  assert.equal((await api.query.ehrIdentity.patientOf(eve.address)).unwrap().toHex(), patient);

  const request = { patient, category: 'Laboratory', action: 'Read', purpose: 'Treatment' };
  let decision = await api.call.consentApi.checkAccess(bob.address, request);
  assert.equal(decision.asDenied.type, 'NoConsent');

  // Eve grants Bob reading laboratory results for treatment, from genesis, with no end.
  const granted = await send(api, api.tx.ehrConsent.grantConsent(
    patient, { Provider: bob.address }, LABORATORY, READ, TREATMENT, 0, null,
  ), eve);
  const grant = granted.events.find(({ event }) => api.events.ehrConsent.ConsentGranted.is(event));
  assert.ok(grant, 'ConsentGranted is emitted');
  const consentId = grant.event.data.consentId.toNumber();

  decision = await api.call.consentApi.checkAccess(bob.address, request);
  assert.ok(decision.isPermitted, decision.toString());
  assert.equal(decision.asPermitted.asGrant.toNumber(), consentId);
  // Another category and another purpose are not covered.
  decision = await api.call.consentApi.checkAccess(bob.address, { ...request, category: 'Genomics' });
  assert.equal(decision.asDenied.type, 'OutOfScope');
  decision = await api.call.consentApi.checkAccess(bob.address, { ...request, purpose: 'Research' });
  assert.equal(decision.asDenied.type, 'OutOfScope');

  // Eve revokes; revoking costs her no fee.
  const before = (await api.query.system.account(eve.address)).data.free.toBigInt();
  const revoked = await send(api, api.tx.ehrConsent.revokeConsent(consentId), eve);
  assert.ok(revoked.events.some(({ event }) => api.events.ehrConsent.ConsentRevoked.is(event)));
  const afterRevoke = (await api.query.system.account.at(revoked.blockHash, eve.address)).data.free.toBigInt();
  assert.equal(afterRevoke, before, 'revoke_consent pays no fee');

  decision = await api.call.consentApi.checkAccess(bob.address, request);
  assert.equal(decision.asDenied.type, 'ConsentRevoked');
  const grantBlock = (await api.rpc.chain.getHeader(granted.blockHash)).number.toNumber();
  decision = await api.call.consentApi.checkAccessAt(bob.address, request, grantBlock);
  assert.ok(decision.isPermitted, 'the audit question "was it permitted at block N" still answers');
});

test('a stranger cannot grant for the patient, with a named error', async () => {
  const patient = (await api.query.ehrIdentity.patientOf(eve.address)).unwrap().toHex();
  await assert.rejects(
    send(api, api.tx.ehrConsent.grantConsent(patient, { Organisation: 0 }, LABORATORY, READ, TREATMENT, 0, null), dave),
    /ehrConsent\.NotAuthorized/,
  );
});
