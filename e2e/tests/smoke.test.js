// Node smoke test: a real `ehr-node --dev` produces blocks, polkadot.js connects, a signed
// transfer is included, and the node stops cleanly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, rpc, waitFor } from '../lib/node.js';
import { send } from '../lib/tx.js';

let node;
let api;

before(async () => {
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
  await cryptoWaitReady();
});

after(async () => {
  await api?.disconnect();
  const exit = await node?.stop();
  // SIGINT is a clean shutdown: exit code 0, not killed by a signal.
  assert.deepEqual(exit, { code: 0, signal: null }, `node did not stop cleanly:\n${node?.log()}`);
});

test('the dev node authors blocks on its own', async (t) => {
  const best = await waitFor('best block >= 3', async () => {
    const header = await rpc(node.rpcPort, 'chain_getHeader');
    const n = parseInt(header.number, 16);
    return n >= 3 ? n : 0;
  }, { timeoutMs: 90_000 }).catch((e) => { t.diagnostic(node.log()); throw e; });
  assert.ok(best >= 3);
});

test('chain properties and runtime version are what wallets expect', async () => {
  const props = await rpc(node.rpcPort, 'system_properties');
  assert.equal(props.tokenSymbol, 'EHR');
  assert.equal(props.tokenDecimals, 12);
  assert.equal(props.ss58Format, 42);
  assert.equal(api.runtimeVersion.specName.toString(), 'ehr-consortium');
  assert.equal(await rpc(node.rpcPort, 'system_chain'), 'EHR Development');
});

test('a signed transfer from Alice to Bob is included', async (t) => {
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const amount = 1_234_000_000_000n;
  const before = (await api.query.system.account(bob.address)).data.free.toBigInt();

  const { blockHash, events } = await send(api, api.tx.balances.transferKeepAlive(bob.address, amount), alice)
    .catch((e) => { t.diagnostic(node.log()); throw e; });

  const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, 'Balances.Transfer event is emitted');
  assert.equal(transfer.event.data.from.toString(), alice.address);
  assert.equal(transfer.event.data.to.toString(), bob.address);
  assert.equal(transfer.event.data.amount.toBigInt(), amount);
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));

  const after = (await api.query.system.account.at(blockHash, bob.address)).data.free.toBigInt();
  assert.equal(after - before, amount);
});
