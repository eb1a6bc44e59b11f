// PAPI (`polkadot-api`), the client new dapps use: descriptors generated with the `papi` CLI from
// the running node's metadata, then one signed EHR call and runtime API calls through the typed
// API, with events decoded into named fields. The same state is read back through @polkadot/api.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from 'polkadot-api';
import { getWsProvider } from 'polkadot-api/ws';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { WebSocket } from '@polkadot/x-ws';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { startDevNode } from '../lib/node.js';
import { LAB } from '../lib/ehr.js';

const e2e = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'ehr-papi-'));

let node;
let client;
let pjs;

before(async () => {
  node = await startDevNode();
  await cryptoWaitReady();
});

after(async () => {
  client?.destroy();
  await pjs?.disconnect();
  await node?.stop();
  rmSync(work, { recursive: true, force: true });
});

let descriptors;

test('the papi CLI generates descriptors from the running node', (t) => {
  t.after(() => { if (t.passed === false) t.diagnostic(node.log(25)); });
  // A project of its own, using the e2e package's modules; no descriptors package is installed
  // (noDescriptorsPackage), so nothing here touches the e2e package.
  symlinkSync(join(e2e, 'node_modules'), join(work, 'node_modules'), 'dir');
  mkdirSync(join(work, '.papi'));
  writeFileSync(join(work, '.papi/polkadot-api.json'), JSON.stringify({
    version: 0, descriptorPath: '.papi/descriptors', entries: {}, options: { noDescriptorsPackage: true },
  }));
  const res = spawnSync(join(e2e, 'node_modules/.bin/papi'), ['add', 'ehr', '--wsUrl', node.wsUrl], {
    cwd: work,
    encoding: 'utf8',
    // The CLI reads metadata over a WebSocket; Node 20 has the global only behind this flag.
    env: { ...process.env, NODE_OPTIONS: '--experimental-websocket' },
    timeout: 180_000,
  });
  assert.equal(res.status, 0, `papi add failed:\n${res.stdout}\n${res.stderr}`);
});

test('a signed EHR call and runtime API calls through the typed API', async (t) => {
  t.after(() => { if (t.passed === false) t.diagnostic(node.log(25)); });
  ({ ehr: descriptors } = await import(pathToFileURL(join(work, '.papi/descriptors/dist/index.js')).href));
  assert.ok(descriptors, 'the descriptors export the `ehr` chain');
  client = createClient(getWsProvider(node.wsUrl, { websocketClass: WebSocket }));
  const typed = client.getTypedApi(descriptors);

  const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');
  const signer = getPolkadotSigner(eve.publicKey, 'Sr25519', (payload) => eve.sign(payload));

  // Eve registers a patient identity through PAPI.
  const result = await typed.tx.EhrIdentity.register_patient().signAndSubmit(signer);
  assert.ok(result.ok, `dispatch failed: ${JSON.stringify(result.dispatchError)}`);
  const [registered] = typed.event.EhrIdentity.PatientRegistered.filter(result.events).map((e) => e.payload);
  assert.ok(registered, 'PatientRegistered decodes');
  assert.equal(registered.controller, eve.address);
  const { patient } = registered; // fixed-size bytes are hex strings in PAPI 2
  assert.match(patient, /^0x[0-9a-f]{64}$/);
  // Registration is not an audited action: the new patient's trail is empty.
  assert.equal(typed.event.EhrAudit.EntryAppended.filter(result.events).length, 0);

  // Runtime APIs, by name and with typed arguments: the consent check denies Bob reading
  // Eve's labs (no grant), and the trail head does not exist yet.
  const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
  const decision = await typed.apis.ConsentApi.check_access(
    bob.address,
    { patient, category: LAB, action: { type: 'Read' }, purpose: { type: 'Treatment' } },
    { at: result.block.hash },
  );
  assert.deepEqual([decision.type, decision.value?.type], ['Denied', 'NoConsent']);
  assert.equal(await typed.apis.AuditApi.trail_head(patient, { at: result.block.hash }), undefined);

  // The same state through @polkadot/api.
  pjs = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
  assert.equal((await pjs.query.ehrIdentity.patientOf(eve.address)).unwrap().toHex(), patient);
  const pjsDecision = await pjs.call.consentApi.checkAccess(bob.address,
    { patient, category: LAB, action: 'Read', purpose: 'Treatment' });
  assert.equal(pjsDecision.asDenied.type, 'NoConsent');
  assert.ok((await pjs.call.auditApi.trailHead(patient)).isNone);
});
