// A consortium's chain from its config file, as the operators' docs describe it: the sample
// config becomes a plain and a raw chain spec through `scripts/consortium-spec.py` (polkadot-sdk's
// chain-spec builder inside `ehr-node`); `ehr-node` starts from the raw spec and authors blocks;
// the council, collators, organisations and properties it serves over RPC are the config's, and
// there is no sudo key. Bad configs are rejected with a precise message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { nodeBinary, rpc, startDevNode, waitFor } from '../lib/node.js';
import { councilMotion, send } from '../lib/tx.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const script = join(root, 'scripts/consortium-spec.py');
const example = join(root, 'scripts/consortium.example.toml');
const dir = mkdtempSync(join(tmpdir(), 'ehr-consortium-'));

let node;
let api;

function specScript(config, ...args) {
  const res = spawnSync('python3', [script, config, '--out', dir, '--node', nodeBinary(), ...args], { encoding: 'utf8' });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** The sample config with `edit` applied to its text, written to a file. */
function config(name, edit) {
  const path = join(dir, `${name}.toml`);
  const sample = readFileSync(example, 'utf8');
  const edited = edit(sample);
  // An edit that no longer matches the sample (after reformatting it, say) would test nothing.
  assert.notEqual(edited, sample, `the edit "${name}" does not change the sample config`);
  writeFileSync(path, edited);
  return path;
}

// The sample config's accounts (the well-known dev keys).
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
const EVE = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
const FERDIE = '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL';
const sorted = (addresses) => addresses.map((a) => encodeAddress(decodeAddress(a), 42)).sort();

before(() => {
  const res = specScript(example);
  assert.equal(res.code, 0, `consortium-spec.py failed:\n${res.stderr}`);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the sample config produces a plain and a raw spec with the config in them', () => {
  const plain = JSON.parse(readFileSync(join(dir, 'example_health.plain.json'), 'utf8'));
  assert.equal(plain.name, 'Example Health Consortium');
  assert.equal(plain.id, 'example_health');
  assert.equal(plain.chainType, 'Live');
  assert.equal(plain.para_id, 2000);
  assert.equal(plain.relay_chain, 'paseo');
  assert.equal(plain.bootNodes.length, 1);
  assert.deepEqual(plain.properties, { tokenSymbol: 'EHR', tokenDecimals: 12, ss58Format: 42 });
  const patch = plain.genesis.runtimeGenesis.patch;
  assert.deepEqual(patch.councilMembership.members, [ALICE, BOB, CHARLIE]);
  assert.equal(patch.sudo.key, null);
  const raw = JSON.parse(readFileSync(join(dir, 'example_health.raw.json'), 'utf8'));
  assert.ok(Object.keys(raw.genesis.raw.top).length > 20, 'the raw spec holds genesis storage');
  assert.deepEqual(raw.bootNodes, plain.bootNodes);
});

test('ehr-node starts from the raw spec, authors blocks, and serves the config over RPC', async (t) => {
  node = await startDevNode({ extraArgs: ['--chain', join(dir, 'example_health.raw.json')] });
  t.after(() => { if (t.passed === false) t.diagnostic(node.log()); });
  api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });

  await waitFor('block 2', async () => parseInt((await rpc(node.rpcPort, 'chain_getHeader')).number, 16) >= 2,
    { timeoutMs: 60_000 });
  assert.equal(await rpc(node.rpcPort, 'system_chain'), 'Example Health Consortium');
  const props = await rpc(node.rpcPort, 'system_properties');
  assert.equal(props.tokenSymbol, 'EHR');

  // Governance: the council is the membership, no sudo key.
  const members = (await api.query.councilMembership.members()).map(String);
  assert.deepEqual(members, sorted([ALICE, BOB, CHARLIE]));
  assert.deepEqual((await api.query.council.members()).map(String), members);
  assert.ok((await api.query.sudo.key()).isNone, 'no sudo key');

  // Collators: the invulnerables with their Aura keys, and no open candidacy.
  assert.deepEqual((await api.query.collatorSelection.invulnerables()).map(String).sort(), sorted([ALICE, BOB]));
  const aura = (await api.query.aura.authorities()).map((k) => encodeAddress(k, 42));
  assert.deepEqual(aura.sort(), sorted([ALICE, BOB]));
  assert.equal(api.consts.collatorSelection.maxCandidates.toNumber(), 0);

  // Organisations 0, 1, 2 with the config's admins, in order; para id.
  for (const [id, admin] of [[0, DAVE], [1, EVE], [2, FERDIE]]) {
    assert.equal((await api.query.ehrIdentity.organisations(id)).unwrap().admin.unwrap().toString(), admin);
  }
  assert.ok((await api.query.ehrIdentity.organisations(3)).isNone);
  assert.equal((await api.query.parachainInfo.parachainId()).toNumber(), 2000);
  assert.equal((await api.query.system.account(EVE)).data.free.toBigInt(), 1_000_000_000_000_000n);
});

test('an organisation onboards a collator: keys with an owner proof, setKeys, a 2/3 motion', async (t) => {
  t.after(() => { if (t.passed === false) t.diagnostic(node.log()); });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, ferdie] = ['//Alice', '//Bob', '//Ferdie'].map((uri) => keyring.addFromUri(uri));

  // On the new collator's node: session keys, with a proof that they are owned by its account.
  const owner = u8aToHex(decodeAddress(ferdie.address));
  const { keys, proof } = await rpc(node.rpcPort, 'author_rotateKeysWithOwner', [owner]);
  assert.ok(proof, 'the runtime supports ownership proofs');
  // A proof for another owner is refused.
  await assert.rejects(send(api, api.tx.session.setKeys(keys, proof), bob), /session\.InvalidProof/);
  await send(api, api.tx.session.setKeys(keys, proof), ferdie);
  assert.equal((await api.query.session.nextKeys(ferdie.address)).unwrap().toHex(), keys);

  // The council: 2 of 3 ayes.
  await councilMotion(api, api.tx.collatorSelection.addInvulnerable(ferdie.address), 2, alice, [alice, bob]);
  const invulnerables = (await api.query.collatorSelection.invulnerables()).map(String);
  assert.ok(invulnerables.includes(ferdie.address), `${invulnerables}`);
});

const BAD = [
  ['an unknown field', (s) => s.replace('para_id = 2000', 'para_id = 2000\nparaid = 2000'),
    /\[chain\]: unknown field 'paraid'/],
  ['an unknown section', (s) => `${s}\n[council]\nsize = 3\n`, /unknown section 'council'/],
  ['a malformed account', (s) => s.replace(`admin = "${EVE}"`, 'admin = "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMax"'),
    /organisations\[1\]\.admin: malformed account .*bad checksum/],
  ['a short hex key', (s) => s.replace(/aura = "[^"]+"/, 'aura = "0x1234"'),
    /collators\[0\]\.aura: hex key '0x1234' is 2 bytes, expected 32/],
  ['no collators', (s) => s.replace(/\[\[collators\]\][^[]*/g, ''),
    /no \[\[collators\]\]: the chain needs at least one collator/],
  ['a duplicate council member', (s) => s.replace(`council = "${BOB}"`, `council = "${ALICE}"`),
    /organisations\[1\]\.council: duplicate member: 5Grw\S+ is already on the council for organisations\[0\]/],
  ['a duplicate collator', (s) => s.replace(new RegExp(`account = "${BOB}"(\\s*# //Bob\\naura)`), `account = "${ALICE}"$1`),
    /collators\[1\]\.account: duplicate collator/],
  ['a balance below the existential deposit', (s) => s.replace('balance = 1_000_000_000_000_000', 'balance = 5'),
    /endowments\[0\]\.balance: expected an integer from 1000000000 to/],
  ['other token decimals', (s) => s.replace('decimals = 12', 'decimals = 18'),
    /token\.decimals: must be 12/],
  ['a missing para id', (s) => s.replace('para_id = 2000', ''), /\[chain\]: missing field 'para_id'/],
  ['a session shorter than 10 blocks', (s) => s.replace('para_id = 2000', 'para_id = 2000\nsession_length = 5'),
    /chain\.session_length: expected an integer from 10 to 100800, got 5/],
];

for (const [what, edit, message] of BAD) {
  test(`a config with ${what} is rejected`, () => {
    const res = specScript(config(what.replaceAll(' ', '-'), edit));
    assert.equal(res.code, 2, `exit code 2 expected, got ${res.code}:\n${res.stderr}`);
    assert.match(res.stderr, message);
  });
}
