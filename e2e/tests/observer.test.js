// The reader of docs/privacy.md: after a scenario with sensitive records, grants, accesses, a
// minor with a guardian, break-glass and an erasure, against a live `ehr-node --dev`, a script
// reads every block (extrinsics and their arguments, inner meta transactions included), every
// event and every storage item of the EHR pallets through RPC, as any node operator can, and
// tries to learn what the threat model says it must not: the sensitive categories, the minor's
// birth date, the justification text, the link between the two pseudonyms of one person, how
// many categories a grant covers, and what an erased record was about. It fails at each. The
// patient, holding its keys, reads all of it back in clear (the control that the attempts are
// not vacuous).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsU8a, mnemonicGenerate, randomAsU8a, sha256AsU8a } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { startSession } from '../lib/session.js';
import { councilMotion, send } from '../lib/tx.js';
import { ACTION, PURPOSE, ROLES, ehrClock, justificationCommitment, saltedDigest, sha256Digest } from '../lib/ehr.js';
import { signMetaTx, signOnboarding, sponsoredCall } from '../lib/sponsor.js';
import {
  CATEGORIES, SET_SIZE, TEST_VECTOR, categoryKeyFromMnemonic, disclosuresInClear, mergedTrails, seal, sealSet, slotOrder, unseal,
} from '../lib/privacy.js';

let session;
let api;
let alice; let bob; let charlie; let dave; let ferdie;
// One person with two pseudonyms: A at the substance-use clinic (organisation 0, admin Dave,
// physician Bob), B at the GP (organisation 1, admin Ferdie, physician Charlie). Each pseudonym
// has its own controller key and category key, derived from the person's one mnemonic.
const mnemonic = mnemonicGenerate();
let keyA; let keyB; let parentKey; let childKey;
let A; let B; let child;
let catA; let catB;
const truth = { categories: {}, patientOf: {}, justification: 'Unconscious on arrival, suspected opioid overdose', majority: null };
let justificationSalt;
let sudRecord; let mhRecord; let rhRecord;

const RELAY_DAY = 14_400;
const GRID = 365 * RELAY_DAY;

before(async () => {
  session = await startSession(['//Alice', '//Bob', '//Charlie', '//Dave', '//Ferdie']);
  ({ api } = session);
  [alice, bob, charlie, dave, ferdie] = session.keys;
  keyA = session.keyring.addFromUri(`${mnemonic}//ehr//0`);
  keyB = session.keyring.addFromUri(`${mnemonic}//ehr//1`);
  parentKey = session.keyring.addFromUri(mnemonicGenerate());
  childKey = session.keyring.addFromUri(mnemonicGenerate());
  while ((await api.rpc.chain.getHeader()).number.toNumber() < 1) await new Promise((r) => setTimeout(r, 500));
});

after(async () => {
  await session?.close();
});

const find = (result, section, method) => result.events.find(({ event }) => api.events[section][method].is(event))?.event.data;
/** `key`'s call, sponsored by `sponsor`; fails unless the inner call succeeded. */
async function sponsored(call, key, sponsor) {
  const result = await send(api, sponsoredCall(api, await signMetaTx(api, call, key)), sponsor);
  const dispatched = find(result, 'metaTx', 'Dispatched');
  assert.ok(dispatched?.result.isOk, `sponsored ${call.method.section}.${call.method.method} succeeded`);
  return result;
}
async function onboard(org, key, admin) {
  const expiresAt = (await ehrClock(api)) + 100;
  const result = await send(api, api.tx.ehrIdentity.onboardPatient(org, key.address, expiresAt,
    await signOnboarding(api, key, org, expiresAt)), admin);
  return find(result, 'ehrIdentity', 'PatientOnboarded').patient.toHex();
}
const digestOf = (text) => sha256Digest(saltedDigest(randomAsU8a(32), stringToU8a(text)));

test('the sealing matches the Rust reference (test vector)', () => {
  assert.deepEqual(slotOrder(TEST_VECTOR.key, TEST_VECTOR.epoch), TEST_VECTOR.order);
});

test('scenario: two pseudonyms, sensitive records, sharing, a minor, break-glass, an erasure', async () => {
  // The GP: a second organisation with its admin and a physician.
  await councilMotion(api, api.tx.ehrIdentity.registerOrganisation(ferdie.address), 2, alice, [alice, bob]);
  await send(api, api.tx.ehrIdentity.accreditProvider(charlie.address, 1, 'Physician'), ferdie);

  // Each organisation onboards the person's key for it; neither key ever holds a token.
  A = await onboard(0, keyA, dave);
  B = await onboard(1, keyB, ferdie);
  catA = categoryKeyFromMnemonic(mnemonic, A);
  catB = categoryKeyFromMnemonic(mnemonic, B);

  // A consents to the clinic for substance use and mental health, read and write.
  await sponsored(api.tx.ehrConsent.grantConsent(A, { Organisation: 0 },
    sealSet(catA, 0, ['SubstanceUse', 'MentalHealth', 'Encounters', 'Medications']),
    ACTION.Read | ACTION.Write, PURPOSE.Treatment, ROLES.ALL, 0, null), keyA, dave);
  const anchor = async (patient, key, category, by) => {
    const result = await send(api, api.tx.ehrRecords.anchorRecord(patient, seal(key, 0, category),
      digestOf(`${category} note`), u8aToHex(randomAsU8a(32)), null, 'Treatment'), by);
    // Record ids are u64 derived from the digest, beyond 2^53: kept as strings.
    const id = find(result, 'ehrRecords', 'RecordAnchored').record.toString();
    truth.categories[id] = category;
    truth.patientOf[id] = patient;
    return id;
  };
  sudRecord = await anchor(A, catA, 'SubstanceUse', bob);
  mhRecord = await anchor(A, catA, 'MentalHealth', bob);
  await anchor(A, catA, 'Encounters', bob);
  await anchor(A, catA, 'Medications', bob);
  await send(api, api.tx.ehrRecords.recordAccess(A, sudRecord, 'Treatment'), bob);

  // A shares its substance-use record with the GP: a grant to organisation 1, which names A, not B.
  await sponsored(api.tx.ehrConsent.grantConsent(A, { Organisation: 1 }, sealSet(catA, 0, ['SubstanceUse']),
    ACTION.Read, PURPOSE.Treatment, ROLES.CLINICAL, 0, null), keyA, dave);
  await send(api, api.tx.ehrRecords.recordAccess(A, sudRecord, 'Treatment'), charlie);

  // B at the GP: reproductive health.
  await sponsored(api.tx.ehrConsent.grantConsent(B, { Organisation: 1 }, sealSet(catB, 0, ['ReproductiveHealth']),
    ACTION.Read | ACTION.Write, PURPOSE.Treatment, ROLES.ALL, 0, null), keyB, ferdie);
  rhRecord = await anchor(B, catB, 'ReproductiveHealth', charlie);

  // A minor at the clinic, with a parent as guardian until majority. The parent's app computes
  // the block of the 18th birthday and rounds it up to the chain's grid; an exact term is refused.
  child = await onboard(0, childKey, dave);
  const now = await ehrClock(api);
  const birthday = new Date(Date.UTC(2019, 4, 17)); // 17 May 2019
  const majority = new Date(Date.UTC(2037, 4, 17));
  truth.majority = now + Math.round((majority.getTime() - Date.now()) / 6000);
  truth.birthday = birthday;
  const term = Math.ceil(truth.majority / GRID) * GRID;
  // A term off the grid is refused. (Not with the true date: a refused call's arguments are in
  // the block all the same.)
  const offGrid = api.tx.ehrIdentity.addGuardian(parentKey.address, term + 1);
  const refused = await send(api, sponsoredCall(api, await signMetaTx(api, offGrid, childKey)), dave);
  const failed = find(refused, 'metaTx', 'Dispatched').result.asErr;
  const err = (failed.error ?? failed).asModule;
  assert.equal(api.registry.findMetaError(err).name, 'GuardianTermNotCoarse', 'a term off the grid is refused');
  await sponsored(api.tx.ehrIdentity.addGuardian(parentKey.address, term), childKey, dave);

  // Break-glass at the GP for B, with a salted commitment to the justification.
  justificationSalt = randomAsU8a(32);
  await send(api, api.tx.ehrConsent.openEmergencyAccess(B,
    u8aToHex(justificationCommitment(justificationSalt, stringToU8a(truth.justification)))), charlie);

  // A erases the mental-health record.
  await sponsored(api.tx.ehrRecords.eraseRecord(A, mhRecord), keyA, dave);
});

// What the observer collects: every extrinsic (decoded, with its signer), every event, every
// storage value of the EHR pallets, as JSON, per block.
let corpus;
async function observe() {
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const blocks = [];
  for (let n = 0; n <= head; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const block = await api.rpc.chain.getBlock(hash);
    const events = await (await api.at(hash)).query.system.events();
    blocks.push({
      n,
      extrinsics: block.block.extrinsics.map((x) => ({
        signer: x.isSigned ? x.signer.toString() : null,
        json: JSON.stringify(x.method.toHuman()),
        raw: x.toHex(),
      })),
      events: events.map(({ event }) => JSON.stringify(event.toHuman())),
    });
  }
  const storage = {};
  for (const pallet of ['ehrIdentity', 'ehrConsent', 'ehrRecords', 'ehrAudit', 'ehrSponsor']) {
    for (const [item, query] of Object.entries(api.query[pallet])) {
      const entries = query.keys ? await query.entries() : [[{ toHuman: () => null }, await query()]];
      storage[`${pallet}.${item}`] = entries.map(([k, v]) => JSON.stringify([k.toHuman(), v.toHuman()]));
    }
  }
  return { blocks, storage };
}
const everyText = () => [
  ...corpus.blocks.flatMap((b) => [...b.extrinsics.map((x) => x.json + x.raw), ...b.events]),
  ...Object.values(corpus.storage).flat(),
];

test('the observer reads every block, event and storage item', async () => {
  corpus = await observe();
  assert.ok(corpus.blocks.length > 10);
  assert.ok(corpus.storage['ehrRecords.records'].length >= 2, 'it sees the records');
  // It sees the pseudonyms (they are pseudonymous, not hidden).
  assert.ok(everyText().some((t) => t.includes(A)) && everyText().some((t) => t.includes(B)));
});

test('it cannot learn which categories records, grants and accesses concern', async () => {
  // No category name appears anywhere: no type carries one in clear.
  for (const name of CATEGORIES) {
    assert.ok(!everyText().some((t) => t.includes(`"${name}"`)), `${name} appears in clear`);
  }
  // The tags it sees are slots. Without the key, it tries the keys a careless design would use:
  // none, the patient id, its hash, the controller key, the sponsor; and each pseudonym's key
  // used for the other one. None reads A's and B's records right.
  const tags = {};
  const live = Object.keys(truth.categories).filter((id) => id !== mhRecord);
  assert.equal(live.length, 4);
  for (const id of live) {
    tags[id] = (await api.call.recordsApi.record(truth.patientOf[id], id)).unwrap().category.unwrap().toJSON();
  }
  const guesses = [new Uint8Array(32), blake2AsU8a(stringToU8a(A)), stringToU8a(A).slice(0, 32), keyA.publicKey,
    keyB.publicKey, dave.publicKey, sha256AsU8a(stringToU8a(A)), catB];
  for (const guess of guesses) {
    const right = Object.entries(tags).filter(([id, tag]) => unseal(guess, tag) === truth.categories[id]).length;
    assert.ok(right < Object.keys(tags).length, 'a guessed key reads every category');
  }
  // With the category key, the patient reads them (the control).
  assert.equal(unseal(catA, tags[sudRecord]), 'SubstanceUse');
  assert.equal(unseal(catB, tags[rhRecord]), 'ReproductiveHealth');
});

test('it cannot tell how many categories a grant covers', async () => {
  const grants = (await api.query.ehrConsent.grants.entries()).flatMap(([, list]) => [...list]);
  assert.ok(grants.length >= 3);
  for (const grant of grants) {
    const slots = grant.terms.categories.slots.toNumber();
    let n = 0;
    for (let x = slots >>> 0; x; x &= x - 1) n++;
    assert.equal(n, SET_SIZE, 'every grant shows the same number of slots');
  }
});

test('it cannot recover the minor\'s birth date', async () => {
  const patient = (await api.query.ehrIdentity.patients(child)).unwrap();
  const until = patient.guardians[0].until.unwrap().toNumber();
  assert.equal(until % GRID, 0, 'the term is on the grid');
  // The best the observer can do: majority fell in the grid year ending at `until`. Every birth
  // date in a 365-day window is consistent with it; the true one is among them, not singled out.
  const windowDays = GRID / RELAY_DAY;
  assert.equal(windowDays, 365);
  assert.ok(truth.majority <= until && truth.majority > until - GRID, 'the truth is in the window');
  // No storage value, event or extrinsic holds the exact block of majority.
  const le = u8aToHex(api.registry.createType('u32', truth.majority).toU8a()).slice(2);
  assert.ok(!everyText().some((t) => t.includes(truth.majority.toLocaleString('en-US')) || t.includes(le)),
    'the exact block of majority is nowhere');
});

test('it cannot recover the break-glass justification', async () => {
  const window = (await api.query.ehrConsent.emergencyAccess(B, charlie.address)).unwrap();
  const onChain = window.justification.toHex();
  // A dictionary of justifications, hashed every way a careless client might.
  const dictionary = ['Unconscious on arrival', 'Unconscious on arrival, suspected opioid overdose', 'overdose',
    'unconscious patient in the emergency department', 'Cardiac arrest', 'trauma', truth.justification.toLowerCase()];
  for (const text of dictionary) {
    const bytes = stringToU8a(text);
    for (const guess of [blake2AsU8a(bytes), sha256AsU8a(bytes), justificationCommitment(new Uint8Array(32), bytes),
      justificationCommitment(stringToU8a(A).slice(0, 32), bytes)]) {
      assert.notEqual(u8aToHex(guess), onChain, `found by hashing "${text}"`);
    }
  }
  // The provider, holding the salt, proves what it wrote (the control).
  assert.equal(u8aToHex(justificationCommitment(justificationSalt, stringToU8a(truth.justification))), onChain);
});

test('it cannot link the two pseudonyms of one person', async () => {
  // No extrinsic, event or storage value names both.
  for (const t of everyText()) assert.ok(!(t.includes(A) && t.includes(B)), 'one item names both pseudonyms');
  // The accounts around each pseudonym, outside the consortium's public registry (organisation
  // admins and providers serve many patients): controllers, guardians, depositors, inner signers
  // of meta transactions, and outer signers of extrinsics that name it.
  const registry = new Set([dave.address, ferdie.address, bob.address, charlie.address]);
  const around = (id) => {
    const accounts = new Set();
    for (const b of corpus.blocks) {
      for (const x of b.extrinsics) {
        if (!x.json.includes(id)) continue;
        if (x.signer) accounts.add(x.signer);
        for (const m of x.json.matchAll(/"(5[1-9A-HJ-NP-Za-km-z]{47})"/g)) accounts.add(m[1]);
      }
      for (const e of b.events) {
        if (!e.includes(id)) continue;
        for (const m of e.matchAll(/"(5[1-9A-HJ-NP-Za-km-z]{47})"/g)) accounts.add(m[1]);
      }
    }
    for (const values of Object.values(corpus.storage)) {
      for (const v of values) {
        if (!v.includes(id)) continue;
        for (const m of v.matchAll(/"(5[1-9A-HJ-NP-Za-km-z]{47})"/g)) accounts.add(m[1]);
      }
    }
    return new Set([...accounts].filter((a) => !registry.has(a)));
  };
  const aroundA = around(A);
  const aroundB = around(B);
  assert.ok(aroundA.has(keyA.address) && aroundB.has(keyB.address), 'the walk finds each controller');
  const shared = [...aroundA].filter((a) => aroundB.has(a));
  assert.deepEqual(shared, [], 'an account outside the registry touches both pseudonyms');
  // The category keys differ, so tags of one say nothing about the other.
  assert.notDeepEqual(slotOrder(catA, 0), slotOrder(catB, 0));
  // The person's app, holding both keys, shows both trails together (the control).
  const merged = await mergedTrails(api, [{ patient: A, key: catA }, { patient: B, key: catB }]);
  const seen = new Set(merged.map((e) => e.category).filter(Boolean));
  for (const c of ['SubstanceUse', 'ReproductiveHealth']) assert.ok(seen.has(c), `the app shows ${c}`);
  assert.ok(merged.some((e) => e.patient === A) && merged.some((e) => e.patient === B));
  // And A's accounting of disclosures, in clear: the clinic's and the GP's reads of the
  // substance-use record.
  const disclosures = await disclosuresInClear(api, A, catA);
  assert.deepEqual(disclosures.map((d) => d.category), ['SubstanceUse', 'SubstanceUse']);
});

test('what an erased record leaves says nothing of what it was about or who wrote it', async () => {
  assert.ok((await api.query.ehrRecords.records(A, mhRecord)).isNone, 'the record is gone');
  const tombstone = (await api.query.ehrRecords.tombstones(A, mhRecord)).unwrap().toJSON();
  assert.deepEqual(Object.keys(tombstone).sort(), ['erasedAt', 'version']);
  const view = (await api.call.recordsApi.record(A, mhRecord)).unwrap();
  assert.ok(view.status.isErased);
  for (const field of ['category', 'digest', 'locator', 'author', 'organisation', 'anchoredAt', 'timestamp']) {
    assert.ok(view[field].isNone, `the erased record's ${field} is gone`);
  }
});
