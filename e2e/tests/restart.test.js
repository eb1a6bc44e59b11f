// A development chain survives a restart: `ehr-node --dev` on a kept base path (what
// scripts/run-dev.sh does unless given --fresh) comes back with its state and finalized head.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, waitFor } from '../lib/node.js';
import { send } from '../lib/tx.js';

test('a dev chain restarted on the same base path keeps its state and finalized head', async (t) => {
  const basePath = mkdtempSync(join(tmpdir(), 'ehr-restart-'));
  t.after(() => rmSync(basePath, { recursive: true, force: true }));
  await cryptoWaitReady();
  const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');

  let node = await startDevNode({ basePath });
  let api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
  let patient;
  let finalized;
  try {
    const registered = await send(api, api.tx.ehrIdentity.registerPatient(), eve);
    patient = registered.events
      .find(({ event }) => api.events.ehrIdentity.PatientRegistered.is(event)).event.data.patient.toHex();
    const block = (await api.rpc.chain.getHeader(registered.blockHash)).number.toNumber();
    finalized = await waitFor('the registration finalized', async () => {
      const head = await api.rpc.chain.getFinalizedHead();
      const n = (await api.rpc.chain.getHeader(head)).number.toNumber();
      return n >= block ? { hash: head.toHex(), number: n } : null;
    });
  } finally {
    await api.disconnect();
    assert.equal((await node.stop()).signal ?? 'exit', 'exit', 'the node stops on SIGINT');
  }

  node = await startDevNode({ basePath });
  t.after(() => node.stop());
  api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
  t.after(() => api.disconnect());
  const head = await api.rpc.chain.getFinalizedHead();
  const number = (await api.rpc.chain.getHeader(head)).number.toNumber();
  assert.ok(number >= finalized.number, `finalized head ${number} after the restart, ${finalized.number} before`);
  assert.equal((await api.rpc.chain.getBlockHash(finalized.number)).toHex(), finalized.hash, 'the same finalized block');
  assert.ok((await api.query.ehrIdentity.patients(patient)).isSome, 'the patient registered before the restart is there');
  // And the chain goes on from there.
  await send(api, api.tx.system.remark('after the restart'), eve);
});
