// Consent end to end, as an integrator does it with @polkadot/api against a real `ehr-node --dev`:
// a provider accredited by the development preset, a patient registers and grants, the
// provider's access is checked through the ConsentApi runtime API, the patient revokes (free),
// and the check is denied from that block on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession } from '../lib/session.js';
import { send } from '../lib/tx.js';
import { ROLE, ROLES, ehrClock, LAB, tagOf, sealedOf, consentIdOf, storedGrant } from '../lib/ehr.js';

let session;
let node;
let api;
let bob;
let dave;
let eve;
let ferdie;

before(async () => {
  session = await startSession(['//Bob', '//Dave', '//Eve', '//Ferdie']);
  ({ node, api } = session);
  [bob, dave, eve, ferdie] = session.keys;
});

after(async () => {
  await session?.close();
});

const LABORATORY = sealedOf('Laboratory');
const READ = 1 << 0;
const TREATMENT = 1 << 0;
const ALL_ROLES = 0x1ff; // every ProviderRole

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

  const request = { patient, category: LAB, action: 'Read', purpose: 'Treatment' };
  let decision = await api.call.consentApi.checkAccess(bob.address, request);
  assert.equal(decision.asDenied.type, 'NoConsent');

  // Eve grants Bob reading laboratory results for treatment, from genesis, with no end.
  const granted = await send(api, api.tx.ehrConsent.grantConsent(
    patient, { Provider: bob.address }, LABORATORY, READ, TREATMENT, ALL_ROLES, 0, null,
  ), eve);
  const grant = granted.events.find(({ event }) => api.events.ehrConsent.ConsentGranted.is(event));
  assert.ok(grant, 'ConsentGranted is emitted');
  // Consent ids are u64 (kept as strings), derived from the patient, the grantee, the EHR clock's
  // block and a nonce; one storage item per patient and grantee holds the grant whole.
  const consentId = grant.event.data.consentId.toString();
  const toBob = { Provider: bob.address };
  const stored = await storedGrant(api, patient, toBob, consentId);
  assert.ok(stored, 'the grant is stored under (patient, grantee)');
  assert.equal(stored.grantedBy.toString(), eve.address);
  assert.equal(consentId, consentIdOf(patient, toBob, stored.terms.grantedAt.toNumber(), 0));

  decision = await api.call.consentApi.checkAccess(bob.address, request);
  assert.ok(decision.isPermitted, decision.toString());
  assert.equal(decision.asPermitted.asGrant.toString(), consentId);
  // Another category and another purpose are not covered.
  decision = await api.call.consentApi.checkAccess(bob.address, { ...request, category: tagOf('Genomics') });
  assert.equal(decision.asDenied.type, 'OutOfScope');
  decision = await api.call.consentApi.checkAccess(bob.address, { ...request, purpose: 'Research' });
  assert.equal(decision.asDenied.type, 'OutOfScope');

  // Eve revokes; revoking costs her no fee.
  const before = (await api.query.system.account(eve.address)).data.free.toBigInt();
  const revoked = await send(api, api.tx.ehrConsent.revokeConsent(patient, toBob, consentId), eve);
  assert.ok(revoked.events.some(({ event }) => api.events.ehrConsent.ConsentRevoked.is(event)));
  const afterRevoke = (await api.query.system.account.at(revoked.blockHash, eve.address)).data.free.toBigInt();
  assert.equal(afterRevoke, before, 'revoke_consent pays no fee');

  decision = await api.call.consentApi.checkAccess(bob.address, request);
  assert.equal(decision.asDenied.type, 'ConsentRevoked');
  // "At" blocks are the EHR clock's: the relay-chain block number the grant's block built on.
  const grantBlock = await ehrClock(api, granted.blockHash);
  decision = await api.call.consentApi.checkAccessAt(bob.address, request, grantBlock);
  assert.ok(decision.isPermitted, 'the audit question "was it permitted at block N" still answers');
});

test('a stranger cannot grant for the patient, with a named error', async () => {
  const patient = (await api.query.ehrIdentity.patientOf(eve.address)).unwrap().toHex();
  await assert.rejects(
    send(api, api.tx.ehrConsent.grantConsent(patient, { Organisation: 0 }, LABORATORY, READ, TREATMENT, ALL_ROLES, 0, null), dave),
    /ehrIdentity\.NotAuthorized/,
  );
});

test('a grant admits only the roles it names (security review, finding 16)', async (t) => {
  t.after(() => { if (t.passed === false) t.diagnostic(node.log()); });
  const patient = (await api.query.ehrIdentity.patientOf(eve.address)).unwrap().toHex();
  // Dave, organisation 0's admin, accredits Ferdie as a researcher.
  await send(api, api.tx.ehrIdentity.accreditProvider(ferdie.address, 0, 'Researcher'), dave);
  assert.equal((await api.query.ehrIdentity.providers(ferdie.address)).unwrap().role.type, 'Researcher');
  // Eve grants organisation 0's clinical staff reading laboratory results for treatment.
  const granted = await send(api, api.tx.ehrConsent.grantConsent(
    patient, { Organisation: 0 }, LABORATORY, READ, TREATMENT, ROLES.CLINICAL, 0, null,
  ), eve);
  const consentId = granted.events.find(({ event }) => api.events.ehrConsent.ConsentGranted.is(event))
    .event.data.consentId.toString();
  const stored = await storedGrant(api, patient, { Organisation: 0 }, consentId);
  assert.equal(stored.terms.roles.toNumber(), ROLES.CLINICAL);
  const request = { patient, category: LAB, action: 'Read', purpose: 'Treatment' };
  const forBob = await api.call.consentApi.checkAccess(bob.address, request);
  assert.equal(forBob.asPermitted.asGrant.toString(), consentId);
  const forFerdie = await api.call.consentApi.checkAccess(ferdie.address, request);
  assert.equal(forFerdie.asDenied.type, 'OutOfScope');
  // A grant to one provider must admit that provider's own role.
  await assert.rejects(
    send(api, api.tx.ehrConsent.grantConsent(patient, { Provider: ferdie.address }, LABORATORY, READ, TREATMENT,
      ROLE.Physician, 0, null), eve),
    /ehrConsent\.RoleNotAdmitted/,
  );
  // The grant's block is a relay-chain block (finding 17): the one its parachain block built on.
  const grantedAt = stored.terms.grantedAt.toNumber();
  assert.equal(grantedAt, await ehrClock(api, granted.blockHash));
  assert.notEqual(grantedAt, (await api.rpc.chain.getHeader(granted.blockHash)).number.toNumber());
});
