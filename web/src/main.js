// The patient and provider app: plain DOM, one module per concern (chain.js: connection, signers,
// transactions; errors.js: sentences; audit.js: the trail's check and the exports). The client
// functions of docs/ehr-domain.md (salted digests, sealed categories, the hash chain) are the
// ones the end-to-end tests check against the runtime (e2e/lib).
import { hexToU8a, u8aToHex, stringToU8a } from '@polkadot/util';
import { randomAsU8a, mnemonicValidate, decodeAddress } from '@polkadot/util-crypto';
import { connect, signers, submit } from './chain.js';
import { sentenceOf, words } from './errors.js';
import { checkTrail, disclosures, plain, toCsv, toFhir } from './audit.js';
import { saltedDigest, sha256Digest, justificationCommitment, ACTION, PURPOSE, ROLES } from '../../e2e/lib/ehr.js';
import { CATEGORIES, seal, sealSet, unsealSet, newCategoryKey, categoryKeyFromMnemonic } from '../../e2e/lib/privacy.js';
import { signMetaTx } from '../../e2e/lib/sponsor.js';

const $ = (id) => document.getElementById(id);

const state = { api: null, isDev: false, accounts: [], patient: null, lastDisclosures: [] };

function say(el, text, dataState) {
  const node = typeof el === 'string' ? $(el) : el;
  node.textContent = text;
  if (dataState) node.dataset.state = dataState;
}

const account = () => state.accounts[Number($('account').value)] ?? null;

/** Sends `tx` as the selected account (or sponsored) and shows each state; resolves with the result. */
async function send(tx) {
  const who = account();
  if (!who) throw new Error('Choose an account to sign with.');
  const show = (s, detail) => {
    const text = {
      signing: 'Waiting for the signature…',
      pending: 'Sent. Waiting for a block…',
      'in-block': `In block ${detail}. Waiting for finality…`,
      finalized: `Finalized in block ${detail}.`,
      failed: detail,
    }[s];
    say('tx-status', text, s);
  };
  if ($('sponsored').checked) {
    if (!who.pair || !state.isDev) throw new Error('Sponsored calls from this app need a development account on a development chain.');
    const sponsor = state.accounts.find((a) => a.source === 'dev' && a.name.startsWith('Ferdie'));
    const { metaTx, length } = await signMetaTx(state.api, tx, who.pair);
    return submit(state.api, state.api.tx.ehrSponsor.dispatch(metaTx, length), sponsor, show);
  }
  return submit(state.api, tx, who, show);
}

/** Runs an action, showing any error as a sentence in `target`. */
const guard = (target, fn) => async (event) => {
  event?.preventDefault?.();
  // A new action's outcome replaces the last one's at once, so nobody reads a stale result.
  say(target, 'Working…', 'working');
  try {
    await fn(event);
  } catch (e) {
    say(target, sentenceOf(state.api, e), 'failed');
  }
};

// Category keys, per patient id, in this browser's storage: a patient's app keeps its key; a
// provider types the key the patient shared.
const keyOf = (patient) => {
  const k = localStorage.getItem(`ehr/category-key/${patient}`);
  if (k) return hexToU8a(k);
  const fresh = newCategoryKey();
  localStorage.setItem(`ehr/category-key/${patient}`, u8aToHex(fresh));
  return fresh;
};

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const readFile = (input) => new Promise((ok, fail) => {
  const file = input.files?.[0];
  if (!file) { fail(new Error('Choose a file first.')); return; }
  const reader = new FileReader();
  reader.onload = () => ok({ name: file.name, bytes: new Uint8Array(reader.result) });
  reader.onerror = () => fail(new Error(`The file ${file.name} could not be read.`));
  reader.readAsArrayBuffer(file);
});

// ---- Patient ----

/** A row of the identity list: `label`, the value, and an optional button (text, action). */
function detail(list, label, value, button = null) {
  const dt = document.createElement('dt'); dt.textContent = label;
  const dd = document.createElement('dd'); dd.textContent = value;
  if (button) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = button.text;
    b.setAttribute('aria-label', button.label);
    b.addEventListener('click', guard('tx-status', button.action));
    dd.append(' ', b);
  }
  list.append(dt, dd);
}

async function loadPatient() {
  const who = account();
  if (!who) return;
  delete document.body.dataset.account;
  const id = await state.api.query.ehrIdentity.patientOf(who.address);
  state.patient = id.isSome ? id.unwrap().toHex() : null;
  $('patient-id').textContent = state.patient ?? 'none';
  $('register').hidden = Boolean(state.patient);
  $('accept-form').hidden = Boolean(state.patient);
  $('close-identity').hidden = !state.patient;
  $('phrase-form').hidden = !state.patient;
  $('identity-manage').hidden = !state.patient;
  const details = $('identity-details');
  details.replaceChildren();
  if (!state.patient) {
    $('category-key').textContent = '';
    $('consents').tBodies[0].replaceChildren();
    document.body.dataset.account = who.address;
    return;
  }
  $('category-key').textContent = u8aToHex(keyOf(state.patient));
  const record = await state.api.query.ehrIdentity.patients(state.patient);
  if (record.isSome) {
    const p = record.unwrap();
    const patient = state.patient;
    for (const c of p.controllers) {
      const address = c.toString();
      detail(details, 'Controller', address, p.controllers.length > 1 ? {
        text: 'Remove', label: `Remove controller ${address}`,
        action: async () => { await send(state.api.tx.ehrIdentity.removeController(address)); await loadPatient(); },
      } : null);
    }
    const invitation = await state.api.query.ehrIdentity.controllerInvitations(patient);
    if (invitation.isSome) detail(details, 'Invited, not yet accepted', invitation.unwrap().invitee.toString());
    if (p.guardians.length === 0) detail(details, 'Guardians', 'none');
    for (const g of p.guardians) {
      const address = g.account.toString();
      const term = g.until.isSome ? ` (until block ${g.until.unwrap().toString()})` : ' (until removed)';
      detail(details, 'Guardian', `${address}${term}`, {
        text: 'Remove', label: `Remove guardian ${address}`,
        action: async () => { await send(state.api.tx.ehrIdentity.removeGuardian(patient, address)); await loadPatient(); },
      });
    }
    const recovery = await state.api.query.ehrIdentity.recoveryConfigs(patient);
    if (recovery.isSome) {
      const r = recovery.unwrap();
      const days = r.delay.toNumber() / state.api.consts.ehrIdentity.minRecoveryDelay.toNumber();
      detail(details, 'Recovery contacts', `${r.friends.map((f) => f.toString()).join(', ')}: ${r.threshold.toString()} must approve, then ${days} day(s) wait`);
    } else {
      detail(details, 'Recovery contacts', 'none');
    }
    $('remove-recovery').hidden = recovery.isNone;
  }
  await loadConsents();
  // Tells a test (or a screen reader's user, through the page) that the account's view is loaded.
  document.body.dataset.account = who.address;
}

/** `text`, an account address typed by a person, checked before it goes into a transaction. */
function checkedAddress(text) {
  try {
    decodeAddress(text);
  } catch {
    throw new Error(`"${text}" is not an account address.`);
  }
  return text;
}

const addressIn = (id) => checkedAddress($(id).value.trim());

async function inviteController() {
  await send(state.api.tx.ehrIdentity.addController(addressIn('new-controller')));
  await loadPatient();
}

async function acceptInvitation() {
  const patient = $('accept-patient').value.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(patient)) throw new Error('A patient id is 0x followed by 64 hexadecimal digits.');
  await send(state.api.tx.ehrIdentity.acceptController(patient));
  await loadPatient();
}

async function addGuardian() {
  const guardian = addressIn('new-guardian');
  let until = null;
  if ($('guardian-years').value) {
    const years = Number($('guardian-years').value);
    if (!Number.isInteger(years) || years < 1) throw new Error('The number of years is a whole number, at least 1.');
    // The chain accepts only terms on a yearly grid (the exact block would tell a minor's birth
    // date): the end is rounded up to the next grid line.
    const grid = state.api.consts.ehrIdentity.guardianTermGranularity.toNumber();
    const now = (await state.api.query.parachainSystem.lastRelayChainBlockNumber()).toNumber();
    until = Math.ceil((now + years * grid) / grid) * grid;
  }
  await send(state.api.tx.ehrIdentity.addGuardian(guardian, until));
  await loadPatient();
}

async function setRecovery() {
  const lines = $('recovery-friends').value.split('\n').map((l) => l.trim()).filter(Boolean);
  const friends = lines.map(checkedAddress);
  const threshold = Number($('recovery-threshold').value);
  const days = Number($('recovery-days').value);
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > friends.length) {
    throw new Error(`How many must approve is a whole number from 1 to the ${friends.length} contact(s) listed.`);
  }
  if (!Number.isInteger(days) || days < 1) throw new Error('The wait is a whole number of days, at least 1.');
  const delay = days * state.api.consts.ehrIdentity.minRecoveryDelay.toNumber();
  await send(state.api.tx.ehrIdentity.setRecovery(friends, threshold, delay));
  await loadPatient();
}

async function removeRecovery() {
  await send(state.api.tx.ehrIdentity.removeRecovery());
  await loadPatient();
}

async function useKeyFromPhrase() {
  if (!state.patient) throw new Error('Register as a patient first.');
  const phrase = $('phrase').value.trim().split(/\s+/).join(' ');
  if (!mnemonicValidate(phrase)) throw new Error('That is not a valid secret phrase: check each word and their order.');
  localStorage.setItem(`ehr/category-key/${state.patient}`, u8aToHex(categoryKeyFromMnemonic(phrase, state.patient)));
  $('phrase').value = '';
  await loadPatient();
  say('tx-status', 'The category key now comes from your secret phrase. Consents sealed with another key show as sealed.', 'key');
}

const bitNames = (bits, table) => Object.entries(table).filter(([, b]) => bits & b).map(([n]) => n);

async function loadConsents() {
  const body = $('consents').tBodies[0];
  body.replaceChildren();
  if (!state.patient) return;
  const key = keyOf(state.patient);
  const now = (await state.api.query.parachainSystem.lastRelayChainBlockNumber()).toNumber();
  const entries = await state.api.query.ehrConsent.grants.entries(state.patient);
  for (const [storageKey, grants] of entries) {
    const grantee = storageKey.args[1];
    for (const g of grants) {
      const t = g.terms;
      const until = t.validUntil.isSome ? t.validUntil.unwrap().toNumber() : null;
      const revoked = t.revokedAt.isSome;
      const stateText = revoked ? 'revoked' : until !== null && until < now ? 'expired' : 'active';
      const tr = document.createElement('tr');
      tr.dataset.consent = t.id.toString();
      const cells = [
        grantee.isProvider ? grantee.asProvider.toString() : `organisation ${grantee.asOrganisation.toString()}`,
        unsealSet(key, t.categories).join(', ') || 'none (sealed with another key)',
        bitNames(t.purposes.toNumber(), PURPOSE).join(', '),
        `from block ${t.validFrom.toNumber()}${until !== null ? ` to ${until}` : ', until revoked'}`,
        stateText,
      ];
      for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.append(td); }
      const td = document.createElement('td');
      if (stateText === 'active') {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = 'Revoke';
        b.setAttribute('aria-label', `Revoke consent ${t.id.toString()}`);
        b.addEventListener('click', guard('tx-status', async () => {
          await send(state.api.tx.ehrConsent.revokeConsent(state.patient, grantee, t.id));
          await loadConsents();
        }));
        td.append(b);
      }
      tr.append(td);
      body.append(tr);
    }
  }
}

async function grant() {
  if (!state.patient) throw new Error('Register as a patient first.');
  const grantee = $('grantee').value.trim();
  const categories = [...document.querySelectorAll('#grant-categories input:checked')].map((i) => i.value);
  if (categories.length === 0) throw new Error('Choose at least one category.');
  const purposes = [...document.querySelectorAll('input[name=purpose]:checked')]
    .reduce((bits, i) => bits | PURPOSE[i.value], 0);
  if (purposes === 0) throw new Error('Choose at least one purpose.');
  const actions = ACTION.Read | ($('grant-write').checked ? ACTION.Write : 0);
  const until = $('valid-until').value ? Number($('valid-until').value) : null;
  const sealed = sealSet(keyOf(state.patient), 0, categories);
  await send(state.api.tx.ehrConsent.grantConsent(state.patient, { Provider: grantee }, sealed, actions, purposes, ROLES.ALL, 0, until));
  await loadConsents();
}

async function loadTrail() {
  if (!state.patient) throw new Error('Register as a patient first.');
  say('trail-state', 'Checking the trail…', 'checking');
  const result = await checkTrail(state.api, state.patient);
  const body = $('trail').tBodies[0];
  body.replaceChildren();
  for (const e of result.entries.map(plain)) {
    const tr = document.createElement('tr');
    for (const c of [e.index, e.time, e.actor, e.action, e.entity, e.purpose ?? '', e.outcome]) {
      const td = document.createElement('td'); td.textContent = String(c); tr.append(td);
    }
    body.append(tr);
  }
  const text = {
    verified: `Verified: ${result.entries.length} entries fold to the head the chain stores (${result.head.slice(0, 18)}…).`,
    tampered: 'Tampered: the entries shown do not fold to the head the chain stores. Do not rely on this copy.',
    empty: 'No audit trail yet.',
  }[result.state];
  say('trail-state', text, result.state);
}

async function listDisclosures() {
  if (!state.patient) throw new Error('Register as a patient first.');
  const from = $('from-date').value ? Date.parse($('from-date').value) : 0;
  const to = $('to-date').value ? Date.parse($('to-date').value) + 86_400_000 - 1 : Number.MAX_SAFE_INTEGER;
  if (from > to) throw new Error('The start date is after the end date.');
  state.lastDisclosures = await disclosures(state.api, state.patient, from, to);
  say('disclosures-count', `${state.lastDisclosures.length} disclosures in this period.`, 'listed');
  $('export-csv').disabled = false;
  $('export-fhir').disabled = false;
}

// ---- Provider ----

function request(action) {
  const patient = $('check-patient').value.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(patient)) throw new Error('A patient id is 0x followed by 64 hexadecimal digits.');
  const key = $('check-key').value.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error('A category key is 0x followed by 64 hexadecimal digits.');
  const category = seal(hexToU8a(key), 0, $('check-category').value);
  return { patient, category, action, purpose: $('check-purpose').value };
}

async function checkAccess() {
  const who = account();
  const decision = await state.api.call.consentApi.checkAccess(who.address, request('Read'));
  say('check-result', decision.isPermitted
    ? `Permitted (${words(decision.asPermitted.type)}).`
    : `Denied: ${words(decision.asDenied.type)}.`, decision.isPermitted ? 'permitted' : 'denied');
}

async function anchor() {
  const { patient, category, purpose } = request('Write');
  const { name, bytes } = await readFile($('anchor-file'));
  const salt = randomAsU8a(32);
  const digest = sha256Digest(saltedDigest(salt, bytes));
  const link = $('salt-download');
  link.href = URL.createObjectURL(new Blob([u8aToHex(salt)], { type: 'text/plain' }));
  link.download = `${name}.salt`;
  link.hidden = false;
  const { events } = await send(state.api.tx.ehrRecords.anchorRecord(patient, category, digest, null, null, purpose));
  const ev = events.find(({ event }) => state.api.events.ehrRecords.RecordAnchored.is(event));
  say('anchor-result', `Anchored as record ${ev.event.data.record.toString()}. Keep the salt with the document: without it nobody can verify it.`, 'anchored');
}

async function verify() {
  const { patient, purpose } = request('Read');
  const { bytes } = await readFile($('verify-file'));
  const saltText = new TextDecoder().decode((await readFile($('verify-salt'))).bytes).trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(saltText)) throw new Error('The salt file should hold 0x followed by 64 hexadecimal digits.');
  const digest = sha256Digest(saltedDigest(hexToU8a(saltText), bytes));
  const view = await state.api.call.recordsApi.verifyDigest(patient, digest);
  if (view.isNone) {
    say('verify-result', 'Not anchored for this patient: the document or its salt differs from what was anchored.', 'unknown');
    return;
  }
  const v = view.unwrap();
  const found = `Matches record ${v.id.toString()}, anchored in block ${v.anchoredAt.isSome ? v.anchoredAt.unwrap().toString() : '?'} (${v.status.type}).`;
  // Reading the document is an access: it goes into the patient's trail, checked against the
  // consent like any declared read.
  say('verify-result', `${found} Declaring the read…`, 'matched');
  const { events } = await send(state.api.tx.ehrRecords.recordAccess(patient, v.id, purpose));
  const ev = events.find(({ event }) => state.api.events.ehrRecords.RecordAccessed.is(event));
  const outcome = ev?.event.data.outcome;
  if (outcome && outcome.isDenied) {
    // The attempt is recorded, as the patient's trail must show it, but consent did not permit it.
    say('verify-result', `${found} Consent does not permit this read (${words(outcome.asDenied.type)}); the attempt is in the patient's audit trail as denied.`, 'denied');
    return;
  }
  say('verify-result', `${found} The read is in the patient's audit trail.`, 'matched');
}

async function openEmergency() {
  const patient = $('check-patient').value.trim();
  const salt = randomAsU8a(32);
  const commitment = justificationCommitment(salt, stringToU8a($('justification').value));
  download('justification-salt.txt', 'text/plain', `${u8aToHex(salt)}\n${$('justification').value}\n`);
  await send(state.api.tx.ehrConsent.openEmergencyAccess(patient, u8aToHex(commitment)));
  say('emergency-result', 'Emergency access is open. The patient is told; keep the downloaded justification and salt.', 'open');
}

async function closeEmergency() {
  const patient = $('check-patient').value.trim();
  await send(state.api.tx.ehrConsent.closeEmergencyAccess(patient, account().address));
  say('emergency-result', 'Emergency access is closed.', 'closed');
}

// ---- Wiring ----

function fillCategories() {
  for (const c of CATEGORIES) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox'; input.value = c; input.name = 'category';
    label.className = 'check';
    label.append(input, ` ${c}`);
    $('grant-categories').append(label);
    const opt = document.createElement('option'); opt.textContent = c;
    $('check-category').append(opt);
  }
}

async function onConnect() {
  const url = $('node-url').value.trim();
  if (!/^wss?:\/\/[^\s]+$/.test(url)) throw new Error('A node address starts with ws:// or wss://.');
  const button = $('connect-form').querySelector('button');
  button.disabled = true;
  try {
    // One connection at a time: a new address replaces the old one.
    if (state.api) { await state.api.disconnect(); state.api = null; }
    await connectTo(url);
  } finally {
    button.disabled = false;
  }
}

async function connectTo(url) {
  const { api, isDev, chain } = await connect(url, (s, detail) => {
    const text = {
      connecting: `Connecting to ${detail}…`,
      connected: `Connected to ${detail}.`,
      disconnected: `Connection to ${detail} lost. Retrying…`,
      error: `Cannot reach ${detail}. Retrying…`,
    }[s];
    say('connection', text, s);
  });
  state.api = api;
  state.isDev = isDev;
  say('connection', `Connected to ${chain} at ${url}${isDev ? ' (development chain)' : ''}.`, 'connected');
  state.accounts = await signers(isDev);
  const select = $('account');
  select.replaceChildren(...state.accounts.map((a, i) => {
    const o = document.createElement('option'); o.value = String(i); o.textContent = `${a.name} — ${a.address}`; return o;
  }));
  select.disabled = state.accounts.length === 0;
  if (state.accounts.length === 0) say('tx-status', 'No account to sign with: install the polkadot.js extension and add an account.', 'failed');
  $('patient').hidden = false;
  $('provider').hidden = false;
  await loadPatient();
}

fillCategories();
// `?rpc=ws://host:port` names the node (scripts/web.sh passes its own).
const rpc = new URLSearchParams(window.location.search).get('rpc');
if (rpc) $('node-url').value = rpc;
$('connect-form').addEventListener('submit', guard('connection', onConnect));
$('account').addEventListener('change', guard('tx-status', loadPatient));
$('register').addEventListener('click', guard('tx-status', async () => { await send(state.api.tx.ehrIdentity.registerPatient()); await loadPatient(); }));
$('close-identity').addEventListener('click', guard('tx-status', async () => {
  if (!window.confirm('Close this identity for good? It cannot be reopened.')) return;
  await send(state.api.tx.ehrIdentity.closePatient());
  await loadPatient();
}));
$('grant-form').addEventListener('submit', guard('tx-status', grant));
$('phrase-form').addEventListener('submit', guard('tx-status', useKeyFromPhrase));
$('controller-form').addEventListener('submit', guard('tx-status', inviteController));
$('accept-form').addEventListener('submit', guard('tx-status', acceptInvitation));
$('guardian-form').addEventListener('submit', guard('tx-status', addGuardian));
$('recovery-form').addEventListener('submit', guard('tx-status', setRecovery));
$('remove-recovery').addEventListener('click', guard('tx-status', removeRecovery));
$('load-trail').addEventListener('click', guard('trail-state', loadTrail));
$('disclosures-form').addEventListener('submit', guard('disclosures-count', listDisclosures));
$('export-csv').addEventListener('click', () => download('disclosures.csv', 'text/csv', toCsv(state.lastDisclosures)));
$('export-fhir').addEventListener('click', () => download('disclosures.fhir.json', 'application/fhir+json', `${JSON.stringify(toFhir(state.patient, state.lastDisclosures), null, 2)}\n`));
$('check-form').addEventListener('submit', guard('check-result', checkAccess));
$('anchor-form').addEventListener('submit', guard('anchor-result', anchor));
$('verify-form').addEventListener('submit', guard('verify-result', verify));
$('emergency-form').addEventListener('submit', guard('emergency-result', openEmergency));
$('close-emergency').addEventListener('click', guard('emergency-result', closeEmergency));
