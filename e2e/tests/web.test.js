// The web app (web/) in a real browser: headless Chromium (Debian's `chromium`) driven by
// puppeteer-core, against a live `ehr-node --dev`. Each step is done through the page, as a person
// would, and then checked on chain through @polkadot/api, not only on the page. Screenshots of
// each screen go to docs/web/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import puppeteer from 'puppeteer-core';
import { WebSocketServer, WebSocket } from 'ws';
import { startDevNode } from '../lib/node.js';
import { serveWeb } from '../tools/serve-web.js';
import { unsealSet, categoryKeyFromMnemonic } from '../lib/privacy.js';
import { justificationCommitment } from '../lib/ehr.js';

const here = dirname(fileURLToPath(import.meta.url));
const SHOTS = resolve(here, '../../docs/web');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

let node; let api; let server; let browser; let page; let work; let proxy;
let eve; let bob;

/** Waits until `#id` has `data-state` in `states` and returns its text; fails on 'failed'. */
async function settled(id, states, timeout = 90_000) {
  await page.waitForFunction((sel, want) => {
    const el = document.getElementById(sel);
    return el && (want.includes(el.dataset.state) || el.dataset.state === 'failed');
  }, { timeout }, id, states);
  const { state, text } = await page.$eval(`#${id}`, (el) => ({ state: el.dataset.state, text: el.textContent }));
  assert.ok(states.includes(state), `#${id}: ${text}`);
  return text;
}

async function chooseAccount(name) {
  const value = await page.$eval('#account', (sel, n) => [...sel.options].find((o) => o.textContent.startsWith(n))?.value, name);
  assert.ok(value !== undefined, `no account ${name} offered`);
  const address = await page.$eval('#account', (sel, v) => sel.options[Number(v)].textContent.split(' — ')[1], value);
  await page.select('#account', value);
  await page.waitForFunction((a) => document.body.dataset.account === a, {}, address);
}

async function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Sets the download folder of the page (the exports and the salt are downloads). */
async function downloadsTo(dir) {
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
}

async function waitForFile(dir, name, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (readdirSync(dir).includes(name)) return readFileSync(join(dir, name));
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no download ${name} in ${dir}`);
}

/**
 * A WebSocket proxy to the node that changes one byte of every `AuditApi_trail` answer: the
 * first entry's time. The entries still decode; the hash chain no longer folds to the head.
 */
function tamperingProxy(target) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  let paused = false;
  wss.on('connection', (client) => {
    // While paused, the node is "unreachable": every connection is closed at once.
    if (paused) { client.terminate(); return; }
    const upstream = new WebSocket(target);
    const pending = [];
    const trailCalls = new Set();
    upstream.on('open', () => { for (const m of pending.splice(0)) upstream.send(m); });
    client.on('message', (data) => {
      const text = data.toString();
      try {
        const msg = JSON.parse(text);
        if (msg.method === 'state_call' && msg.params?.[0] === 'AuditApi_trail') trailCalls.add(msg.id);
      } catch { /* not JSON: pass on */ }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text); else pending.push(text);
    });
    upstream.on('message', (data) => {
      let text = data.toString();
      try {
        const msg = JSON.parse(text);
        if (trailCalls.has(msg.id) && typeof msg.result === 'string' && msg.result.length > 2 + 2 * 14) {
          // 0x, compact length (1 byte below 64 entries), index (8), block (4), then time (8).
          const at = 2 + 2 * 13;
          const byte = (parseInt(msg.result.slice(at, at + 2), 16) ^ 0x01).toString(16).padStart(2, '0');
          msg.result = msg.result.slice(0, at) + byte + msg.result.slice(at + 2);
          text = JSON.stringify(msg);
        }
      } catch { /* pass on */ }
      client.send(text);
    });
    client.on('close', () => upstream.close());
    upstream.on('close', () => client.close());
  });
  return new Promise((ok) => wss.on('listening', () => ok({
    url: `ws://127.0.0.1:${wss.address().port}`,
    /** Cuts every connection and refuses new ones until `resume`. */
    pause: () => { paused = true; for (const c of wss.clients) c.terminate(); },
    resume: () => { paused = false; },
    close: () => new Promise((r) => { for (const c of wss.clients) c.terminate(); wss.close(r); }),
  })));
}

before(async () => {
  await cryptoWaitReady();
  work = mkdtempSync(join(tmpdir(), 'ehr-web-'));
  const built = spawnSync(process.execPath, [resolve(here, '../tools/build-web.js'), '--out', join(work, 'dist')], { encoding: 'utf8' });
  assert.equal(built.status, 0, `building the web app failed:\n${built.stderr}`);
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  eve = keyring.addFromUri('//Eve');
  bob = keyring.addFromUri('//Bob');
  server = await serveWeb({ dir: join(work, 'dist'), port: 0 });
  proxy = await tamperingProxy(node.wsUrl);
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: scripts/setup.sh installs Debian's chromium`);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  // Nothing may load from outside the app's own server and the node.
  await page.setRequestInterception(true);
  const outside = [];
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith(server.url) || url.startsWith('blob:') || url.startsWith('data:')) req.continue();
    else { outside.push(url); req.abort(); }
  });
  page.outside = outside;
  await downloadsTo(work);
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.close();
  await api?.disconnect();
  await node?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function connectTo(url) {
  await page.goto(server.url, { waitUntil: 'load' });
  await page.$eval('#node-url', (el, u) => { el.value = u; }, url);
  await page.click('#connect-form button[type=submit]');
  await settled('connection', ['connected']);
  // Connected, the accounts offered and the first one's view loaded.
  await page.waitForFunction(() => document.body.dataset.account !== undefined, { timeout: 60_000 });
}

test('a patient grants, a provider anchors and verifies a file, the patient sees the trail verified and exports the disclosures, then revokes', async () => {
  await connectTo(node.wsUrl);
  await shot('1-connect');

  // The patient registers.
  await chooseAccount('Eve');
  await page.click('#register');
  await settled('tx-status', ['in-block', 'finalized']);
  await page.waitForFunction(() => document.getElementById('patient-id').textContent.startsWith('0x'));
  const patient = await page.$eval('#patient-id', (el) => el.textContent);
  const onChain = await api.query.ehrIdentity.patientOf(eve.address);
  assert.equal(onChain.unwrap().toHex(), patient, 'the page shows the patient id the chain stores');
  const key = await page.$eval('#category-key', (el) => el.textContent);

  // The patient grants Bob (an accredited physician of the development chain) laboratory data
  // for treatment, reading and writing.
  await page.type('#grantee', bob.address);
  await page.click('#grant-categories input[value=Laboratory]');
  await page.click('#grant-write');
  await page.click('#grant-form button[type=submit]');
  await settled('tx-status', ['in-block', 'finalized']);
  await page.waitForSelector('#consents tbody tr');
  const grants = await api.query.ehrConsent.grants(patient, { Provider: bob.address });
  assert.equal(grants.length, 1);
  assert.deepEqual(unsealSet(hexToU8a(key), grants[0].terms.categories), ['Laboratory'], 'the grant covers what the patient chose, sealed with the key the page shows');
  assert.equal(grants[0].terms.purposes.toNumber(), 1, 'treatment only');
  const row = await page.$eval('#consents tbody tr', (tr) => [...tr.cells].map((c) => c.textContent));
  assert.equal(row[0], bob.address);
  assert.equal(row[1], 'Laboratory');
  assert.equal(row[4], 'active');
  await shot('2-patient-consents');

  // Bob checks his access, anchors a file and verifies it.
  await chooseAccount('Bob');
  await page.type('#check-patient', patient);
  await page.type('#check-key', key);
  await page.select('#check-category', 'Laboratory');
  await page.click('#check-form button[type=submit]');
  assert.match(await settled('check-result', ['permitted']), /Permitted/);
  const file = join(work, 'lab-report.pdf');
  writeFileSync(file, `lab report ${Date.now()}: a document that never leaves this machine\n`);
  await (await page.$('#anchor-file')).uploadFile(file);
  await page.click('#anchor-form button[type=submit]');
  const anchored = await settled('anchor-result', ['anchored'], 120_000);
  const record = /record (\d+)/.exec(anchored)[1];
  // The salt, as the provider keeps it: the page's download.
  await page.click('#salt-download');
  const salt = (await waitForFile(work, 'lab-report.pdf.salt')).toString().trim();
  assert.match(salt, /^0x[0-9a-f]{64}$/);
  const saltFile = join(work, 'lab-report.pdf.salt');
  const view = await api.call.recordsApi.record(patient, record);
  assert.ok(view.isSome, 'the record is on chain');
  assert.equal(view.unwrap().author.unwrap().toString(), bob.address);
  await shot('3-provider-anchored');

  await (await page.$('#verify-file')).uploadFile(file);
  await (await page.$('#verify-salt')).uploadFile(saltFile);
  await page.click('#verify-form button[type=submit]');
  await page.waitForFunction(() => /audit trail/.test(document.getElementById('verify-result').textContent)
    || document.getElementById('tx-status').dataset.state === 'failed', { timeout: 90_000 });
  assert.match(await page.$eval('#verify-result', (el) => el.textContent), new RegExp(`Matches record ${record}`));
  // A different file with the same salt matches nothing.
  const other = join(work, 'other.pdf');
  writeFileSync(other, 'another document\n');
  await (await page.$('#verify-file')).uploadFile(other);
  await page.click('#verify-form button[type=submit]');
  assert.match(await settled('verify-result', ['unknown']), /Not anchored/);
  await shot('4-provider-verified');

  // The patient sees both accesses in the trail, verified, and exports the disclosures.
  await chooseAccount('Eve');
  await page.click('#load-trail');
  assert.match(await settled('trail-state', ['verified']), /Verified/);
  const actions = await page.$$eval('#trail tbody tr', (rows) => rows.map((r) => r.cells[3].textContent));
  assert.ok(actions.includes('RecordAnchored') && actions.includes('RecordAccessed'), `trail shows ${actions}`);
  const head = (await api.call.auditApi.trailHead(patient)).unwrap();
  assert.equal(actions.length, head.count.toNumber(), 'every entry the chain counts is shown');
  await shot('5-patient-trail-verified');

  await page.click('#disclosures-form button[type=submit]');
  await settled('disclosures-count', ['listed']);
  await page.click('#export-csv');
  const csv = (await waitForFile(work, 'disclosures.csv')).toString().trim().split('\n');
  assert.equal(csv.length, 2, 'a header and the one read');
  assert.match(csv[1], new RegExp(`${bob.address}.*RecordAccessed,record ${record},Treatment,success`));
  await page.click('#export-fhir');
  const fhir = JSON.parse((await waitForFile(work, 'disclosures.fhir.json')).toString());
  assert.equal(fhir.resourceType, 'Bundle');
  assert.equal(fhir.entry.length, 1);
  const event = fhir.entry[0].resource;
  assert.equal(event.resourceType, 'AuditEvent');
  assert.equal(event.agent[0].who.identifier.value, bob.address);
  assert.equal(event.entity[0].what.identifier.value, record);
  assert.equal(event.authorization[0].coding[0].code, 'TREAT');
  const onChainDisclosures = await api.call.auditApi.disclosures(patient, 0, Number.MAX_SAFE_INTEGER, null, 100);
  assert.equal(onChainDisclosures.items.length, 1);

  // The patient revokes.
  await page.click('#consents tbody tr button');
  await settled('tx-status', ['in-block', 'finalized']);
  await page.waitForFunction(() => document.querySelector('#consents tbody tr')?.cells[4].textContent === 'revoked');
  const revoked = await api.query.ehrConsent.grants(patient, { Provider: bob.address });
  assert.ok(revoked[0].terms.revokedAt.isSome, 'revoked on chain');
  await shot('6-patient-revoked');

  // Bob may no longer read: a declared read is recorded as denied, and an anchor is refused with
  // a sentence, not an index.
  await chooseAccount('Bob');
  await page.click('#check-form button[type=submit]');
  assert.match(await settled('check-result', ['denied']), /Denied/);
  await (await page.$('#verify-file')).uploadFile(file);
  await (await page.$('#verify-salt')).uploadFile(saltFile);
  await page.click('#verify-form button[type=submit]');
  assert.match(await settled('verify-result', ['denied'], 90_000), /does not permit/);
  const second = join(work, 'second.pdf');
  writeFileSync(second, 'a second report\n');
  await (await page.$('#anchor-file')).uploadFile(second);
  await page.click('#anchor-form button[type=submit]');
  const failed = await settled('anchor-result', ['failed'], 90_000);
  assert.match(failed, /\(ehrRecords\.WriteDenied\)/, `a sentence naming the error: ${failed}`);
  assert.ok(failed.length > 40 && /^[A-Z]/.test(failed), `a sentence: ${failed}`);
  await shot('7-error-sentence');

  // Break-glass: Bob opens an emergency window with a justification that stays on his machine
  // (only its salted commitment goes on chain), then closes it.
  await page.type('#justification', 'Unconscious patient in the emergency department');
  await page.click('#emergency-form button[type=submit]');
  await settled('emergency-result', ['open'], 90_000);
  const saved = (await waitForFile(work, 'justification-salt.txt')).toString().split('\n');
  const window_ = await api.query.ehrConsent.emergencyAccess(patient, bob.address);
  assert.ok(window_.isSome, 'the window is open on chain');
  assert.equal(window_.unwrap().justification.toHex(),
    u8aToHex(justificationCommitment(hexToU8a(saved[0]), stringToU8a(saved[1]))),
    'the chain holds the salted commitment to the text the provider kept, not the text');
  await page.click('#close-emergency');
  await settled('emergency-result', ['closed'], 90_000);
  assert.ok((await api.query.ehrConsent.emergencyAccess(patient, bob.address)).unwrap().closedAt.isSome, 'closed on chain');
  assert.deepEqual(page.outside, [], 'the page loaded nothing from outside');
});

test('a trail changed on its way to the page shows "tampered"', async () => {
  await connectTo(proxy.url);
  await chooseAccount('Eve');
  await page.click('#load-trail');
  assert.match(await settled('trail-state', ['tampered']), /Tampered/);
  await shot('8-trail-tampered');
  // The same trail straight from the node is verified.
  await connectTo(node.wsUrl);
  await chooseAccount('Eve');
  await page.click('#load-trail');
  await settled('trail-state', ['verified']);
});

test('a patient with a sponsored call pays nothing: the clinic (Ferdie, on the development chain) pays', async () => {
  await connectTo(node.wsUrl);
  await chooseAccount('Charlie');
  const charlie = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie');
  const before = (await api.query.system.account(charlie.address)).data;
  await page.click('#sponsored');
  await page.click('#register');
  await settled('tx-status', ['in-block', 'finalized']);
  await page.waitForFunction(() => document.getElementById('patient-id').textContent.startsWith('0x'));
  assert.ok((await api.query.ehrIdentity.patientOf(charlie.address)).isSome, 'registered on chain');
  const afterwards = (await api.query.system.account(charlie.address)).data;
  assert.equal(afterwards.free.toBigInt(), before.free.toBigInt(), 'no fee taken from the patient');
  assert.equal(afterwards.reserved.toBigInt(), before.reserved.toBigInt(), 'no deposit held from the patient');
  await page.click('#sponsored');
});

test('a patient derives the category key from a phrase, adds a second key, a guardian and recovery contacts, removes them and closes the identity', async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const dave = keyring.addFromUri('//Dave');
  const alice = keyring.addFromUri('//Alice');
  const ferdie = keyring.addFromUri('//Ferdie');
  await connectTo(node.wsUrl);
  await chooseAccount('Dave');
  const reservedBefore = (await api.query.system.account(dave.address)).data.reserved.toBigInt();
  await page.click('#register');
  await settled('tx-status', ['in-block', 'finalized']);
  await page.waitForFunction(() => document.getElementById('patient-id').textContent.startsWith('0x'));
  const patient = await page.$eval('#patient-id', (el) => el.textContent);

  // The category key from the patient's secret phrase: the same on any device.
  const phrase = mnemonicGenerate(12);
  await page.type('#phrase', 'not a phrase at all');
  await page.click('#phrase-form button[type=submit]');
  assert.match(await settled('tx-status', ['failed']), /not a valid secret phrase/);
  await page.$eval('#phrase', (el) => { el.value = ''; });
  await page.type('#phrase', phrase);
  await page.click('#phrase-form button[type=submit]');
  await settled('tx-status', ['key']);
  assert.equal(await page.$eval('#category-key', (el) => el.textContent), u8aToHex(categoryKeyFromMnemonic(phrase, patient)));
  assert.equal(await page.$eval('#phrase', (el) => el.value), '', 'the phrase is not left in the page');

  // A second key: invited by Dave, accepted by Alice signing for herself.
  await page.type('#new-controller', 'not-an-address');
  await page.click('#controller-form button[type=submit]');
  assert.match(await settled('tx-status', ['failed']), /not an account address/);
  await page.$eval('#new-controller', (el) => { el.value = ''; });
  await page.type('#new-controller', alice.address);
  await page.click('#controller-form button[type=submit]');
  await settled('tx-status', ['in-block', 'finalized']);
  assert.equal((await api.query.ehrIdentity.controllerInvitations(patient)).unwrap().invitee.toString(), alice.address);
  await chooseAccount('Alice');
  await page.type('#accept-patient', patient);
  await page.click('#accept-form button[type=submit]');
  await settled('tx-status', ['in-block', 'finalized']);
  await page.waitForFunction((p) => document.getElementById('patient-id').textContent === p, {}, patient);
  assert.equal((await api.query.ehrIdentity.patientOf(alice.address)).unwrap().toHex(), patient, 'Alice controls the identity on chain');

  // A guardian for 18 years (the end rounded up to the chain's yearly grid) and recovery contacts.
  await page.type('#new-guardian', ferdie.address);
  await page.type('#guardian-years', '18');
  await page.click('#guardian-form button[type=submit]');
  await settled('tx-status', ['in-block', 'finalized']);
  const grid = api.consts.ehrIdentity.guardianTermGranularity.toNumber();
  const now = (await api.query.parachainSystem.lastRelayChainBlockNumber()).toNumber();
  const guardian = (await api.query.ehrIdentity.patients(patient)).unwrap().guardians[0];
  assert.equal(guardian.account.toString(), ferdie.address);
  const until = guardian.until.unwrap().toNumber();
  assert.equal(until % grid, 0, 'on the grid');
  assert.ok(until >= now + 18 * grid - grid && until <= now + 19 * grid, `18 years from ${now}, rounded up: ${until}`);

  await page.type('#recovery-friends', `${ferdie.address}\n${bob.address}`);
  await page.$eval('#recovery-threshold', (el) => { el.value = '3'; });
  await page.click('#recovery-form button[type=submit]');
  assert.match(await settled('tx-status', ['failed']), /from 1 to the 2 contact/);
  await page.$eval('#recovery-threshold', (el) => { el.value = '2'; });
  await page.$eval('#recovery-days', (el) => { el.value = '2'; });
  await page.click('#recovery-form button[type=submit]');
  await settled('tx-status', ['in-block', 'finalized']);
  const recovery = (await api.query.ehrIdentity.recoveryConfigs(patient)).unwrap();
  assert.deepEqual(recovery.friends.map((f) => f.toString()), [ferdie.address, bob.address]);
  assert.equal(recovery.threshold.toNumber(), 2);
  assert.equal(recovery.delay.toNumber(), 2 * api.consts.ehrIdentity.minRecoveryDelay.toNumber());
  await page.waitForFunction(() => /2 must approve/.test(document.getElementById('identity-details').textContent));
  await shot('11-patient-identity');

  // Removed again, through the page: the guardian, the recovery contacts and Alice's key.
  await page.click(`button[aria-label="Remove guardian ${ferdie.address}"]`);
  await settled('tx-status', ['in-block', 'finalized']);
  assert.equal((await api.query.ehrIdentity.patients(patient)).unwrap().guardians.length, 0, 'no guardian on chain');
  await page.click('#remove-recovery');
  await settled('tx-status', ['in-block', 'finalized']);
  assert.ok((await api.query.ehrIdentity.recoveryConfigs(patient)).isNone, 'no recovery contacts on chain');
  await chooseAccount('Dave');
  await page.click(`button[aria-label="Remove controller ${alice.address}"]`);
  await settled('tx-status', ['in-block', 'finalized']);
  assert.ok((await api.query.ehrIdentity.patientOf(alice.address)).isNone, 'Alice no longer controls it');
  await page.waitForFunction(() => !document.querySelector('button[aria-label^="Remove controller"]'));

  // Closed, after the confirmation: a tombstone stays, the deposit goes back but for its share.
  page.once('dialog', (d) => d.accept());
  await page.click('#close-identity');
  await settled('tx-status', ['in-block', 'finalized']);
  await page.waitForFunction(() => document.getElementById('patient-id').textContent === 'none');
  assert.ok((await api.query.ehrIdentity.patients(patient)).isNone, 'the record is gone');
  assert.ok((await api.query.ehrIdentity.closedPatients(patient)).isSome, 'a tombstone stays');
  assert.ok((await api.query.ehrIdentity.patientOf(dave.address)).isNone);
  assert.equal((await api.query.system.account(dave.address)).data.reserved.toBigInt(), reservedBefore, 'no deposit held any more');
});

test('a lost connection is shown and the app reconnects on its own', async () => {
  await connectTo(proxy.url);
  proxy.pause();
  await page.waitForFunction(() => ['disconnected', 'error'].includes(document.getElementById('connection').dataset.state), { timeout: 30_000 });
  assert.match(await page.$eval('#connection', (el) => el.textContent), /lost|Cannot reach/);
  await shot('9-connection-lost');
  proxy.resume();
  await settled('connection', ['connected'], 30_000);
});

test('every control has a label, the page works from the keyboard, and fits a phone', async () => {
  await page.goto(server.url, { waitUntil: 'load' });
  const unlabelled = await page.$$eval('input, select, textarea', (els) => els
    .filter((el) => el.type !== 'hidden' && el.labels.length === 0 && !el.getAttribute('aria-label'))
    .map((el) => el.id || el.outerHTML));
  assert.deepEqual(unlabelled, [], 'controls without a label');
  // Keyboard only: Tab to the address field, type, Enter submits the form.
  await page.$eval('#node-url', (el) => { el.value = ''; });
  let focused = null;
  for (let i = 0; i < 10 && focused !== 'node-url'; i += 1) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id);
  }
  assert.equal(focused, 'node-url', 'the address field is reachable with Tab');
  await page.keyboard.type(node.wsUrl);
  await page.keyboard.press('Enter');
  await settled('connection', ['connected']);
  await page.setViewport({ width: 390, height: 844 });
  await page.waitForFunction(() => document.body.dataset.account !== undefined, { timeout: 60_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone's screen`);
  await shot('10-phone');
  await page.setViewport({ width: 1100, height: 900 });
});
