// The EHR parachain on a real relay chain, as a consortium runs it: zombienet (native provider)
// starts `ehr-relay` validators alice and bob and the parachain's collators charlie and dave,
// collator eve (not yet in the collator set) and full node ferdie, from the same specs and config
// as `scripts/network.sh`. Every step below runs against live nodes over RPC with @polkadot/api.
//
// Run: `npm run test:network` (after `cargo test --release --workspace --no-run`), or through
// scripts/test.sh. The network is always stopped; on failure the tail of each node's log is printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { u8aToHex, stringToU8a } from '@polkadot/util';
import { send, councilMotion } from '../lib/tx.js';
import { saltedDigest, sha256Digest, foldTrail, genesisHead, ACTION, PURPOSE, ROLES, LAB, sealedOf } from '../lib/ehr.js';
import { rpc, waitFor } from '../lib/node.js';
import { nextRuntime } from '../lib/runtime.js';
import { ROOT as root, PORTS, wsUrl as ws, startNetwork } from '../lib/network.js';

const dir = process.env.EHR_NETWORK_DIR ?? join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'network-test');
// Every transaction waits for finalization before its signer's next one (see `send`).
const FIN = { finalized: true };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = (what) => console.log(`# [network] ${new Date().toISOString().slice(11, 19)} ${what}`);

let started; // startNetwork's handle
let network;
let relay;
let para; // charlie, a collator
let full; // ferdie, the full node
let keys;
const apis = [];

async function connect(name) {
  const api = await ApiPromise.create({ provider: new WsProvider(ws(name)), noInitWarn: true });
  apis.push(api);
  return api;
}

/** The tail of every node's log, for a failing step. */
const logTails = (lines) => started?.logTails(lines) ?? 'the network did not start';

before(async () => {
  started = await startNetwork({ dir, log: step });
  network = started.network;
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  keys = Object.fromEntries(['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie', 'Patient']
    .map((n) => [n.toLowerCase(), keyring.addFromUri(`//${n}`)]));
  [relay, para, full] = await Promise.all([connect('alice'), connect('charlie'), connect('ferdie')]);
  step('network up');
});

after(async () => {
  await Promise.all(apis.map((api) => api.disconnect().catch(() => {})));
  if (started) await started.stop();
});

/** Fails the test with the log tails of every node. */
function withLogs(t) {
  t.after(() => { if (t.passed === false) t.diagnostic(logTails()); });
}

/** The Aura author (session account) of a parachain block. */
async function authorOf(api, hash) {
  const header = await api.rpc.chain.getHeader(hash);
  const pre = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
  assert.ok(pre, `block ${header.number} has an Aura pre-digest`);
  const slot = api.createType('u64', pre.asPreRuntime[1]).toBigInt();
  const at = await api.at(header.parentHash);
  const authorities = await at.query.aura.authorities();
  const validators = await at.query.session.validators();
  return validators[Number(slot % BigInt(authorities.length))].toString();
}

async function finalizedNumber(api) {
  const hash = await api.rpc.chain.getFinalizedHead();
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
}

/** Authors of the finalized blocks `from..=to`. */
async function authors(api, from, to) {
  const out = [];
  for (let n = from; n <= to; n += 1) out.push(await authorOf(api, await api.rpc.chain.getBlockHash(n)));
  return out;
}

test('both genesis collators author in turn and the relay chain finalizes their blocks', async (t) => {
  withLogs(t);
  assert.equal((await para.query.parachainInfo.parachainId()).toNumber(), 2000);
  assert.ok((await relay.query.paras.paraLifecycles(2000)).unwrap().isParachain, 'para 2000 is a parachain at relay genesis');

  await waitFor('4 finalized parachain blocks', async () => (await finalizedNumber(para)) >= 4, { timeoutMs: 300_000, everyMs: 2000 });
  const seen = await authors(para, 1, 4);
  step(`authors of blocks 1..4: ${seen.map((a) => a.slice(0, 6)).join(' ')}`);
  assert.ok(seen.includes(keys.charlie.address), 'charlie authored');
  assert.ok(seen.includes(keys.dave.address), 'dave authored');
  assert.ok(!seen.includes(keys.eve.address), 'eve is not a collator yet');

  // Finality comes from the relay chain: the head it has included for para 2000 is a parachain
  // block the collators finalized, and the full node agrees.
  const included = relay.createType('Header', (await relay.query.paras.heads(2000)).unwrap().toU8a(true));
  const atPara = await para.rpc.chain.getBlockHash(included.number.toNumber());
  assert.equal(atPara.toHex(), included.hash.toHex(), 'the relay chain includes the collators\' block');
  assert.ok((await finalizedNumber(full)) >= 4, 'the full node follows finality');
});

// The collator changes take two sessions to apply: the motions go in first, and the EHR flow and
// the restart run while the sessions turn.
let changedAt; // the block of the motions
let eveAddedAt; // the best block before the motion that adds eve
test('the council adds collator eve with its owner proof and removes dave (2/3 motions)', async (t) => {
  withLogs(t);
  const { alice, bob, charlie, dave, eve } = keys;
  const council = [alice, bob, charlie, dave];
  assert.equal((await para.query.ehrGovernance.sessionLength()).toNumber(), 10, 'the consortium set 10-block sessions');

  // On eve's node: session keys with a proof that Eve's account owns them; Eve registers them.
  const owner = u8aToHex(decodeAddress(eve.address));
  const { keys: sessionKeys, proof } = await rpc(PORTS.eve, 'author_rotateKeysWithOwner', [owner]);
  await assert.rejects(send(para, para.tx.session.setKeys(sessionKeys, proof), bob, FIN), /session\.InvalidProof/);
  await send(para, para.tx.session.setKeys(sessionKeys, proof), eve, FIN);
  // 2/3 of a council of 4: 3 ayes. Two ayes are not enough.
  await assert.rejects(
    councilMotion(para, para.tx.collatorSelection.addInvulnerable(eve.address), 2, alice, council.slice(0, 2), FIN),
    /BadOrigin/,
  );
  // Waiting for finalization between motions can take longer than a session: eve may author
  // before dave's removal passes, so "before" is the block before eve's motion.
  eveAddedAt = (await para.rpc.chain.getHeader()).number.toNumber();
  await councilMotion(para, para.tx.collatorSelection.addInvulnerable(eve.address), 3, alice, council.slice(0, 3), FIN);
  await councilMotion(para, para.tx.collatorSelection.removeInvulnerable(dave.address), 3, alice, council.slice(0, 3), FIN);
  changedAt = (await para.rpc.chain.getHeader()).number.toNumber();
  const invulnerables = (await para.query.collatorSelection.invulnerables()).map(String);
  assert.deepEqual(new Set(invulnerables), new Set([charlie.address, eve.address]));
  step(`eve added and dave removed at block ${changedAt}`);
});

test('the EHR flow runs on a collator and the full node serves the same state', async (t) => {
  withLogs(t);
  const { alice, bob, patient } = keys;
  // Organisation 0's admin (Alice) accredits Bob; the patient account gets funds for its deposit.
  await Promise.all([
    send(para, para.tx.ehrIdentity.accreditProvider(bob.address, 0, 'Physician'), alice, FIN),
    send(para, para.tx.balances.transferKeepAlive(patient.address, 10n ** 14n), keys.ferdie, FIN),
  ]);
  const registered = await send(para, para.tx.ehrIdentity.registerPatient(), patient, FIN);
  const pid = registered.events.find(({ event }) => para.events.ehrIdentity.PatientRegistered.is(event))
    .event.data.patient.toHex();
  await send(para, para.tx.ehrConsent.grantConsent(
    pid, { Organisation: 0 }, sealedOf('Laboratory'), ACTION.Read | ACTION.Write, PURPOSE.Treatment, ROLES.CLINICAL, 0, null,
  ), patient, FIN);
  const salt = crypto.getRandomValues(new Uint8Array(32));
  const digest = sha256Digest(saltedDigest(salt, stringToU8a('HbA1c 6.1 %')));
  const anchored = await send(para, para.tx.ehrRecords.anchorRecord(pid, LAB, digest, null, null, 'Treatment'), bob, FIN);
  const record = anchored.events.find(({ event }) => para.events.ehrRecords.RecordAnchored.is(event)).event.data.record;
  const accessed = await send(para, para.tx.ehrRecords.recordAccess(pid, record, 'Treatment'), bob, FIN);
  assert.ok(accessed.events.find(({ event }) => para.events.ehrRecords.RecordAccessed.is(event)).event.data.outcome.isSuccess);

  // The trail through the runtime API folds to its head.
  const head = (await para.call.auditApi.trailHead(pid)).unwrap();
  const entries = await para.call.auditApi.trail(pid, 0, 100);
  assert.ok(head.count.toNumber() >= 2, `trail of ${head.count} entries`);
  assert.equal(u8aToHex(foldTrail(genesisHead(pid), entries.map((e) => e.toU8a()))), head.head.toHex());

  // Once finalized, the full node serves the same trail at the same block. The block the access
  // was first seen in may be a fork that async backing drops (its state is then pruned), so the
  // comparison is made at a finalized block after it, on the canonical chain.
  const accessNumber = (await para.rpc.chain.getHeader(accessed.blockHash)).number.toNumber();
  await waitFor('the access finalized on the full node', async () => (await finalizedNumber(full)) > accessNumber,
    { timeoutMs: 180_000, everyMs: 2000 });
  const fin = await full.rpc.chain.getFinalizedHead();
  const fullHead = (await (await full.at(fin)).call.auditApi.trailHead(pid)).unwrap();
  const paraHead = (await (await para.at(fin)).call.auditApi.trailHead(pid)).unwrap();
  assert.equal(fullHead.toHex(), paraHead.toHex());
  assert.equal(fullHead.count.toNumber(), head.count.toNumber(), 'the finalized trail has the access');
  assert.ok((await full.call.recordsApi.verifyDigest(pid, digest)).isSome, 'the full node verifies the digest');
});

test('a collator killed mid-load restarts on its base path, catches up, and nothing is lost', async (t) => {
  withLogs(t);
  // Load: remarks from Ferdie, one per nonce, while charlie is killed and restarted.
  const ferdie = keys.ferdie;
  let nonce = (await full.rpc.system.accountNextIndex(ferdie.address)).toNumber();
  const first = nonce;
  const sent = [];
  const load = (async () => {
    for (let i = 0; i < 20; i += 1) {
      const tx = full.tx.system.remarkWithEvent(`load ${i}`);
      sent.push(await tx.signAndSend(ferdie, { nonce: nonce++ }));
      await sleep(1500);
    }
  })();
  const finalizedBefore = await finalizedNumber(full);
  const hashesBefore = [];
  for (let n = 1; n <= finalizedBefore; n += 1) hashesBefore.push((await full.rpc.chain.getBlockHash(n)).toHex());

  step('killing collator charlie (kill -9) and restarting it on the same base path');
  assert.ok(await network.getNodeByName('charlie').restart(10), 'charlie restarted');
  await load;
  step(`${sent.length} remarks submitted through the full node`);

  // Every remark is included in a finalized block, counted on the full node.
  const seen = new Set();
  let scanned = finalizedBefore;
  await waitFor('all remarks in finalized blocks', async () => {
    const fin = await finalizedNumber(full);
    for (; scanned < fin; scanned += 1) {
      const block = await full.rpc.chain.getBlock(await full.rpc.chain.getBlockHash(scanned + 1));
      for (const ex of block.block.extrinsics) {
        if (ex.isSigned && ex.signer.toString() === ferdie.address) seen.add(ex.nonce.toNumber());
      }
    }
    return seen.size >= 20;
  }, { timeoutMs: 300_000, everyMs: 3000 });
  for (let n = first; n < first + 20; n += 1) assert.ok(seen.has(n), `remark with nonce ${n} included`);

  // The restarted collator has the same finalized chain as before, and catches up.
  const charlie = await connect('charlie');
  para = charlie;
  for (let n = 1; n <= finalizedBefore; n += 1) {
    assert.equal((await charlie.rpc.chain.getBlockHash(n)).toHex(), hashesBefore[n - 1], `block ${n} unchanged`);
  }
  const target = await finalizedNumber(full);
  await waitFor('charlie caught up', async () => (await finalizedNumber(charlie)) >= target, { timeoutMs: 120_000, everyMs: 2000 });
});

test('after the session delay eve authors and dave no longer does', async (t) => {
  withLogs(t);
  const { charlie, dave, eve } = keys;
  assert.ok(changedAt, 'the motions passed');
  const session = (await para.query.ehrGovernance.sessionLength()).toNumber();
  // The change is queued at the next session boundary and applies at the one after.
  const from = (Math.floor(changedAt / session) + 2) * session + 1;
  await waitFor(`finalized block ${from + 7}`, async () => (await finalizedNumber(para)) >= from + 7, { timeoutMs: 400_000, everyMs: 3000 });
  const before = await authors(para, Math.max(1, eveAddedAt - 3), eveAddedAt);
  const after = await authors(para, from, from + 7);
  step(`authors before the change: ${before.map((a) => a.slice(0, 6))}, from block ${from}: ${after.map((a) => a.slice(0, 6))}`);
  assert.ok(!before.includes(eve.address), 'eve did not author before the motion');
  assert.ok(after.includes(eve.address), 'eve authors after the session delay');
  assert.ok(after.includes(charlie.address), 'charlie still authors');
  assert.ok(!after.includes(dave.address), 'dave stopped');
});

test('a runtime upgrade authorised by 3/4 of the council goes through the relay chain', async (t) => {
  withLogs(t);
  const { alice, bob, charlie, dave } = keys;
  const before = (await para.rpc.state.getRuntimeVersion()).specVersion.toNumber();
  const { code, specVersion } = nextRuntime(process.env.EHR_NODE_BIN, process.env.EHR_PARA_SPEC, before);
  const hash = para.registry.hash(code).toHex();
  // 3/4 of 4: 3 ayes; the call runs as root through ehrGovernance.dispatchAsRoot.
  await councilMotion(para, para.tx.ehrGovernance.dispatchAsRoot(para.tx.system.authorizeUpgrade(hash)), 3, alice, [alice, bob, charlie], FIN);
  // Anyone may then submit the authorised code (free when it matches).
  await send(para, para.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), dave, FIN);
  step(`upgrade to spec ${specVersion} submitted; waiting for the relay chain's go-ahead`);
  await waitFor(`spec version ${specVersion}`, async () =>
    (await para.rpc.state.getRuntimeVersion()).specVersion.toNumber() === specVersion, { timeoutMs: 300_000, everyMs: 3000 });
  const at = await finalizedNumber(para);
  await waitFor('blocks after the upgrade', async () => (await finalizedNumber(para)) >= at + 2, { timeoutMs: 120_000, everyMs: 2000 });
  assert.equal((await full.rpc.state.getRuntimeVersion()).specVersion.toNumber(), specVersion, 'the full node runs it too');
});
