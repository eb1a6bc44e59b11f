// Records and the audit trail end to end, as a hospital's document store and a patient's app do
// it with @polkadot/api against a real `ehr-node --dev`: salted digests and a batch Merkle root
// computed in JavaScript (checked against the Rust test vectors), anchoring, amending, an
// access that is permitted and one that is denied but recorded, erasure, and the trail read
// through `api.call.auditApi` and checked against its hash chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { startSession } from '../lib/session.js';
import { send } from '../lib/tx.js';
import {
  foldTrail, genesisHead, merkleProof, merkleRoot, recordIdOf, saltedDigest, sha256Digest, LAB, sealedOf,
} from '../lib/ehr.js';

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

const LABORATORY = sealedOf('Laboratory');
const READ_WRITE = 0b11;
const TREATMENT = 1 << 0;
const ALL_ROLES = 0x1ff; // every ProviderRole

test('the JavaScript client computes the same salted digests and Merkle roots as the Rust vectors', () => {
  const digest = saltedDigest(new Uint8Array(32).fill(0x11), stringToU8a('Discharge summary, encounter 0001'));
  assert.equal(u8aToHex(digest), '0xf73d0e68a1e41a85d0b8a5c7c0f3afdadfddf9c018d640caef56b2cd3c93df45');
  const docs = [0, 1, 2, 3, 4].map((i) => saltedDigest(new Uint8Array(32).fill(i), stringToU8a(`document ${i}`)));
  assert.equal(u8aToHex(merkleRoot(docs)), '0xfce4c3b221196ee1f7f0c6830fd0f7088122573600c5157016269cb3ae423d0c');
});

test('anchor, amend, access, retract, erase, batch, and a verifiable trail', async (t) => {
  t.after(() => { if (t.passed === false) t.diagnostic(node.log()); });

  // Bob is accredited in organisation 0 (admin Dave) by the development preset.
  const registered = await send(api, api.tx.ehrIdentity.registerPatient(), eve);
  const patient = registered.events
    .find(({ event }) => api.events.ehrIdentity.PatientRegistered.is(event)).event.data.patient.toHex();
  await send(api, api.tx.ehrConsent.grantConsent(
    patient, { Organisation: 0 }, LABORATORY, READ_WRITE, TREATMENT, ALL_ROLES, 0, null,
  ), eve);

  // The document store salts and hashes the document; only the digest and a commitment to the
  // locator go on chain.
  const salt = crypto.getRandomValues(new Uint8Array(32));
  const v1Digest = sha256Digest(saltedDigest(salt, stringToU8a('HbA1c 6.1 %, 2026-11-20')));
  const locator = u8aToHex(blake2AsU8a(u8aConcat(salt, stringToU8a('https://docs.example/obj/1'))));
  const anchored = await send(api, api.tx.ehrRecords.anchorRecord(
    patient, LAB, v1Digest, locator, null, 'Treatment',
  ), bob);
  const v1 = anchored.events.find(({ event }) => api.events.ehrRecords.RecordAnchored.is(event))
    .event.data.record.toString();
  // Record ids are derived from the digest (eight bytes of a hash): u64 beyond 2^53, kept as strings.
  assert.equal(v1, recordIdOf(v1Digest), 'the id is the one derived from the digest');

  let view = (await api.call.recordsApi.verifyDigest(patient, v1Digest)).unwrap();
  assert.equal(view.id.toString(), v1);
  assert.equal(view.author.toString(), bob.address);
  assert.equal(view.organisation.unwrap().toNumber(), 0);
  assert.equal(view.locator.unwrap().toHex(), locator);
  assert.ok(view.status.isActive);

  // An amendment makes version 2; the old digest still verifies and points at the latest.
  const v2Digest = sha256Digest(saltedDigest(salt, stringToU8a('HbA1c 6.2 %, 2026-11-20')));
  const amended = await send(api, api.tx.ehrRecords.anchorRecord(
    patient, LAB, v2Digest, null, v1, 'Treatment',
  ), bob);
  const v2 = amended.events.find(({ event }) => api.events.ehrRecords.RecordAnchored.is(event))
    .event.data.record.toString();
  view = (await api.call.recordsApi.verifyDigest(patient, v1Digest)).unwrap();
  assert.equal(view.latest.toString(), v2);
  assert.equal((await api.call.recordsApi.latestVersion(patient, v1)).unwrap().version.number.toNumber(), 2);
  await assert.rejects(
    send(api, api.tx.ehrRecords.anchorRecord(patient, LAB, v2Digest, null, null, 'Treatment'), bob),
    /ehrRecords\.DigestAlreadyAnchored/,
  );

  // Bob declares a read: permitted. Dave, who is no provider, cannot declare one: refused, and
  // nothing is added to the patient's trail (only accredited providers write accesses).
  const read = await send(api, api.tx.ehrRecords.recordAccess(patient, v2, 'Treatment'), bob);
  const readEvent = read.events.find(({ event }) => api.events.ehrRecords.RecordAccessed.is(event));
  assert.ok(readEvent.event.data.outcome.isSuccess);
  await assert.rejects(
    send(api, api.tx.ehrRecords.recordAccess(patient, v2, 'Treatment'), dave),
    /ehrRecords\.NotAccredited/,
  );

  // Bob's organisation retracts version 1; Eve erases it.
  await send(api, api.tx.ehrRecords.retractRecord(patient, v1), bob);
  await send(api, api.tx.ehrRecords.eraseRecord(patient, v1), eve);
  assert.ok((await api.call.recordsApi.verifyDigest(patient, v1Digest)).isNone, 'erased digests do not verify');
  const tombstone = (await api.call.recordsApi.record(patient, v1)).unwrap();
  assert.ok(tombstone.status.isErased);
  assert.ok(tombstone.digest.isNone && tombstone.locator.isNone);
  assert.ok(tombstone.category.isNone && tombstone.author.isNone && tombstone.anchoredAt.isNone,
    'the tombstone keeps nothing of what the record was about or who wrote it');
  assert.ok((await api.query.ehrRecords.records(patient, v1)).isNone);
  assert.ok((await api.query.ehrRecords.tombstones(patient, v1)).isSome, 'the tombstone is under the patient');

  // A bulk import: 1,000 documents in one batch; any of them verifies with its proof.
  const docs = Array.from({ length: 1000 }, (_, i) => saltedDigest(salt, stringToU8a(`import ${i}`)));
  const root = u8aToHex(merkleRoot(docs));
  await send(api, api.tx.ehrRecords.anchorBatch(root, docs.length), bob);
  const proof = merkleProof(docs, 617).map((h) => u8aToHex(h));
  const ok = await api.call.recordsApi.verifyBatchProof(0, root, 617, sha256Digest(docs[617]), proof);
  assert.ok(ok.isOk, ok.toString());
  assert.equal(ok.asOk.leafCount.toNumber(), 1000);
  const wrong = await api.call.recordsApi.verifyBatchProof(0, root, 618, sha256Digest(docs[617]), proof);
  assert.equal(wrong.asErr.type, 'InvalidProof');

  // The trail, read through the runtime API and checked against its hash chain.
  const head = (await api.call.auditApi.trailHead(patient)).unwrap();
  const entries = await api.call.auditApi.trail(patient, 0, 100);
  assert.equal(entries.length, head.count.toNumber());
  const chain = foldTrail(genesisHead(patient), entries.map((e) => e.toU8a()));
  assert.equal(u8aToHex(chain), head.head.toHex(), 'the trail folds onto the head');
  assert.deepEqual(
    entries.map((e) => `${e.action.type}:${e.outcome.isSuccess ? 'ok' : e.outcome.asDenied.type}`),
    [
      'ConsentGranted:ok', 'RecordAnchored:ok', 'RecordAmended:ok', 'RecordAccessed:ok',
      'RecordRetracted:ok', 'RecordErased:ok',
    ],
  );
  // A tampered copy does not.
  const tampered = entries.map((e) => e.toU8a());
  tampered[3][tampered[3].length - 1] ^= 1;
  const forged = foldTrail(genesisHead(patient), tampered);
  assert.notEqual(u8aToHex(forged), head.head.toHex());

  // The accounting of disclosures over all time: Bob's one permitted read.
  const page = await api.call.auditApi.disclosures(patient, 0, Number.MAX_SAFE_INTEGER, null, 10);
  assert.equal(page.items.length, 1, JSON.stringify(page.toHuman()));
  assert.equal(page.items[0].actor.asAccount.toString(), bob.address);
  assert.ok(page.next.isNone);
});

test('a document store anchors and declares reads in bulk: each item as the single call, one transaction', async (t) => {
  t.after(() => { if (t.passed === false) t.diagnostic(node.log()); });
  // Two patients of Bob's organisation (Eve's from the test above, Dave's new one).
  const eves = (await api.query.ehrIdentity.patientOf(eve.address)).unwrap().toHex();
  const registered = await send(api, api.tx.ehrIdentity.registerPatient(), dave);
  const daves = registered.events
    .find(({ event }) => api.events.ehrIdentity.PatientRegistered.is(event)).event.data.patient.toHex();
  await send(api, api.tx.ehrConsent.grantConsent(
    daves, { Organisation: 0 }, LABORATORY, READ_WRITE, TREATMENT, ALL_ROLES, 0, null,
  ), dave);

  const salt = crypto.getRandomValues(new Uint8Array(32));
  const digests = [0, 1, 2].map((i) => sha256Digest(saltedDigest(salt, stringToU8a(`bulk ${i}`))));
  const first = recordIdOf(digests[0]);
  const records = [
    { patient: eves, category: LAB, digest: digests[0], locator: null, predecessor: null, purpose: 'Treatment' },
    { patient: daves, category: LAB, digest: digests[1], locator: null, predecessor: null, purpose: 'Treatment' },
    // An amendment of the first, anchored earlier in the same call.
    { patient: eves, category: LAB, digest: digests[2], locator: null, predecessor: first, purpose: 'Treatment' },
  ];
  const bulk = api.tx.ehrRecords.anchorRecords(records);
  const anchored = await send(api, bulk, bob);
  const ids = anchored.events.filter(({ event }) => api.events.ehrRecords.RecordAnchored.is(event))
    .map(({ event }) => event.data.record.toString());
  assert.deepEqual(ids, digests.map(recordIdOf));
  const amended = (await api.call.recordsApi.verifyDigest(eves, digests[0])).unwrap();
  assert.equal(amended.latest.toString(), ids[2], 'the amendment in the same call is the latest version');
  assert.ok((await api.call.recordsApi.verifyDigest(daves, digests[1])).isSome);

  // One refused document refuses the call, naming the refusal; nothing of it is kept.
  const again = [{ ...records[1], digest: sha256Digest(saltedDigest(salt, stringToU8a('new'))) }, records[0]];
  await assert.rejects(send(api, api.tx.ehrRecords.anchorRecords(again), bob), /ehrRecords\.DigestAlreadyAnchored/);
  assert.ok((await api.call.recordsApi.verifyDigest(daves, again[0].digest)).isNone, 'nothing of a refused call is kept');

  // Reads in bulk: permitted, out of scope (no grant for research), and permitted again.
  const before = (await api.call.auditApi.trailHead(eves)).unwrap().count.toNumber();
  const accesses = [
    { patient: eves, record: ids[2], purpose: 'Treatment' },
    { patient: eves, record: ids[0], purpose: 'Research' },
    { patient: daves, record: ids[1], purpose: 'Treatment' },
  ];
  const read = await send(api, api.tx.ehrRecords.recordAccesses(accesses), bob);
  const outcomes = read.events.filter(({ event }) => api.events.ehrRecords.RecordAccessed.is(event))
    .map(({ event }) => (event.data.outcome.isSuccess ? 'ok' : event.data.outcome.asDenied.type));
  assert.deepEqual(outcomes, ['ok', 'OutOfScope', 'ok']);
  const entries = await api.call.auditApi.trail(eves, before, 10);
  assert.deepEqual(entries.map((e) => `${e.action.type}:${e.outcome.isSuccess ? 'ok' : e.outcome.asDenied.type}`),
    ['RecordAccessed:ok', 'RecordAccessed:OutOfScope']);
  const head = (await api.call.auditApi.trailHead(eves)).unwrap();
  const all = await api.call.auditApi.trail(eves, 0, 100);
  assert.equal(u8aToHex(foldTrail(genesisHead(eves), all.map((e) => e.toU8a()))), head.head.toHex());
  // An access to a record that does not exist names its index; nothing is recorded.
  await assert.rejects(send(api, api.tx.ehrRecords.recordAccesses([accesses[0], { ...accesses[0], record: '12345' }]), bob),
    /ehrRecords\.AccessedRecordNotFound\(1\)/);
  assert.equal((await api.call.auditApi.trailHead(eves)).unwrap().count.toNumber(), head.count.toNumber());

  // The point of it: one transaction's overhead for all the reads. Fees as the node quotes them.
  const single = await api.tx.ehrRecords.recordAccess(eves, ids[2], 'Treatment').paymentInfo(bob);
  const three = await api.tx.ehrRecords.recordAccesses(accesses).paymentInfo(bob);
  t.diagnostic(`fee of one record_access ${single.partialFee}, of three in one record_accesses ${three.partialFee}`);
  assert.ok(three.partialFee.toBigInt() < 3n * single.partialFee.toBigInt(), 'three reads in bulk cost less than three calls');
});
