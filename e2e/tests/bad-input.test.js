// Bad input at the node's doors, against a live `ehr-node --dev`: malformed and invalid
// extrinsics, wrong SCALE to every method of the EHR runtime APIs through `state_call`, oversized
// payloads, and the unsafe RPC methods on a node that serves its RPC to the network (as the
// Docker image runs it). Each is answered with a precise error, and the node stays up and keeps
// producing blocks. (XCM's doors are tested in the runtime: runtime/tests/xcm.rs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { connect } from 'node:net';
import { startDevNode, rpc, waitFor } from '../lib/node.js';

let node; let api; let alice; let bob;
const EHR_APIS = ['ConsentApi', 'RecordsApi', 'AuditApi'];

/** The JSON-RPC error of `method(params)`; fails if the call succeeds. */
async function rpcError(port, method, params) {
  try {
    const result = await rpc(port, method, params);
    assert.fail(`${method} succeeded (${JSON.stringify(result)?.slice(0, 200)}) but should have been refused`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    const json = e.message.slice(e.message.indexOf(': ') + 2);
    return JSON.parse(json);
  }
}

/** The node answers and its chain grows. */
async function stillUp() {
  const health = await rpc(node.rpcPort, 'system_health');
  assert.equal(typeof health.peers, 'number');
  const at = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitFor('a new block', async () => (await api.rpc.chain.getHeader()).number.toNumber() > at, { timeoutMs: 60_000 });
  assert.equal(node.exited(), null, 'the node is running');
}

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('malformed and invalid extrinsics are refused with a precise error', async () => {
  const port = node.rpcPort;
  // Not an extrinsic at all.
  let e = await rpcError(port, 'author_submitExtrinsic', ['0x']);
  assert.equal(e.code, 1040);
  assert.match(e.message, /Could not decode `OpaqueExtrinsic/);
  e = await rpcError(port, 'author_submitExtrinsic', ['0xdeadbeef']);
  assert.equal(e.code, 1040);
  assert.match(e.message, /Could not decode/);

  // A well-formed transfer, signed by Alice.
  const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const tx = api.tx.balances.transferKeepAlive(bob.address, 1_000_000_000n);
  await tx.signAsync(alice, { nonce });
  const good = tx.toU8a();

  // One byte of the signature flipped: the signature no longer verifies.
  const badSig = good.slice();
  // compact length (2 bytes here), version (1), address (1 + 32), signature type (1), signature.
  const sigAt = good.length > 255 ? 2 + 1 + 33 + 1 : 1 + 1 + 33 + 1;
  badSig[sigAt + 5] ^= 0xff;
  e = await rpcError(port, 'author_submitExtrinsic', [u8aToHex(badSig)]);
  assert.equal(e.code, 1010, `bad signature: ${JSON.stringify(e)}`);
  assert.match(e.message, /Invalid Transaction/);
  assert.match(JSON.stringify(e), /bad signature|BadProof/i);

  // Cut short by one byte: its length prefix no longer matches.
  e = await rpcError(port, 'author_submitExtrinsic', [u8aToHex(good.slice(0, good.length - 1))]);
  assert.equal(e.code, 1040);
  assert.match(e.message, /Could not decode/);

  // A bare (unsigned) extrinsic of a call no pallet accepts unsigned.
  const call = api.tx.balances.transferKeepAlive(bob.address, 1n).method.toU8a();
  const bareBody = new Uint8Array([0x04, ...call]);
  const bare = new Uint8Array([...api.createType('Compact<u32>', bareBody.length).toU8a(), ...bareBody]);
  e = await rpcError(port, 'author_submitExtrinsic', [u8aToHex(bare)]);
  assert.equal(e.code, 1011, `unknown transaction: ${JSON.stringify(e)}`);
  assert.match(JSON.stringify(e), /NoUnsignedValidator|could not be validated/i);

  // A call index no pallet has (pallet 250): the runtime cannot decode the extrinsic.
  const unknownBody = new Uint8Array([0x04, 250, 0]);
  const unknown = new Uint8Array([unknownBody.length << 2, ...unknownBody]);
  // The pool asks the runtime to validate it; the runtime's `validate_transaction` cannot
  // decode it and stops, which the node reports naming the runtime function (code 1002), and its
  // log says why (checked below).
  e = await rpcError(port, 'author_submitExtrinsic', [u8aToHex(unknown)]);
  assert.equal(e.code, 1002, JSON.stringify(e));
  assert.match(e.message, /Verification Error: Runtime error: Execution failed.*TaggedTransactionQueue_validate_transaction/s);

  // The good one goes in; sent again it is a duplicate, and once in a block, outdated.
  const hash = await rpc(port, 'author_submitExtrinsic', [u8aToHex(good)]);
  assert.match(hash, /^0x[0-9a-f]{64}$/);
  e = await rpcError(port, 'author_submitExtrinsic', [u8aToHex(good)]);
  assert.equal(e.code, 1013, `already imported: ${JSON.stringify(e)}`);
  await waitFor('the transfer in a block', async () => (await api.rpc.system.accountNextIndex(alice.address)).toNumber() > nonce
    && (await api.query.system.account(alice.address)).nonce.toNumber() > nonce, { timeoutMs: 60_000 });
  e = await rpcError(port, 'author_submitExtrinsic', [u8aToHex(good)]);
  assert.equal(e.code, 1012, `included, so banned for a while: ${JSON.stringify(e)}`);
  assert.match(e.message, /temporarily banned/);
  // Another transfer signed with the used nonce.
  const stale = api.tx.balances.transferKeepAlive(bob.address, 2_000_000_000n);
  await stale.signAsync(alice, { nonce });
  e = await rpcError(port, 'author_submitExtrinsic', [stale.toHex()]);
  assert.equal(e.code, 1010, `outdated: ${JSON.stringify(e)}`);
  assert.match(JSON.stringify(e), /outdated|Stale/i);

  await waitFor('the reason in the log', () => /Bad input data provided to validate_transaction/.test(node.log(5000)), { timeoutMs: 10_000 });
  await stillUp();
});

test('wrong SCALE to every method of the EHR runtime APIs is refused by name, and the node stays up', async () => {
  const apis = api.runtimeMetadata.asLatest.apis.filter((a) => EHR_APIS.includes(a.name.toString()));
  assert.equal(apis.length, EHR_APIS.length, 'every EHR runtime API is in the metadata');
  let methods = 0;
  for (const a of apis) {
    for (const m of a.methods) {
      const name = `${a.name.toString()}_${m.name.toString()}`;
      // Nothing, one byte, 31 bytes: shorter than the first argument of every EHR method (a
      // 32-byte account, patient id or batch root). (Input longer than the arguments is not
      // refused: the SDK's runtime API glue decodes the arguments and ignores what follows.)
      for (const input of ['0x', '0xff', u8aToHex(new Uint8Array(31).fill(0xff))]) {
        const e = await rpcError(node.rpcPort, 'state_call', [name, input]).catch((err) => { throw new Error(`${name}(${input.slice(0, 10)}): ${err.message}`); });
        assert.equal(e.code, 4003, `${name}(${input.slice(0, 10)}): ${JSON.stringify(e).slice(0, 300)}`);
        assert.match(e.message, /Execution failed/);
        assert.ok(e.message.includes(name), `the error names ${name}: ${e.message.slice(0, 300)}`);
      }
      methods += 1;
    }
  }
  assert.ok(methods >= 10, `${methods} methods tried`);
  // The node's log says what was wrong: the runtime's own message for undecodable input.
  await waitFor('the decode errors in the log', () => /Bad input data provided to/.test(node.log(2000)), { timeoutMs: 10_000 });
  await stillUp();
});

test('oversized payloads are refused: a remark over the block length, a request over the RPC limit', async () => {
  // 6 MiB of remark: more than a block may hold (5 MiB).
  const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const big = api.tx.system.remark(`0x${'07'.repeat(6 * 1024 * 1024)}`);
  await big.signAsync(alice, { nonce });
  let e = await rpcError(node.rpcPort, 'author_submitExtrinsic', [big.toHex()]);
  assert.equal(e.code, 1010);
  assert.match(JSON.stringify(e), /exhaust|ExhaustsResources|block limits/i);

  // A request over the server's 15 MiB limit never reaches a method: the server answers
  // "413 Payload Too Large" as soon as it reads the declared length, before the body.
  const status = await new Promise((ok, fail) => {
    const socket = connect(node.rpcPort, '127.0.0.1', () => {
      socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${16 * 1024 * 1024}\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"system_health","params":[`);
    });
    let answer = '';
    socket.on('data', (d) => { answer += d.toString(); if (answer.includes('\r\n')) { socket.destroy(); ok(answer.split('\r\n')[0]); } });
    socket.on('error', fail);
    setTimeout(() => { socket.destroy(); fail(new Error(`no answer to an oversized request: ${answer}`)); }, 10_000);
  });
  assert.match(status, /^HTTP\/1\.1 413/, status);

  // A page of the trail asked with the largest limit is served within the runtime's own cap.
  const page = await api.call.auditApi.trail(`0x${'11'.repeat(32)}`, 0, 0xffffffff);
  assert.equal(page.length, 0);
  await stillUp();
});

test('a node serving RPC to the network (--rpc-external, as the Docker image runs it) refuses every unsafe method', async () => {
  const external = await startDevNode({ extraArgs: ['--rpc-external'] });
  try {
    const unsafe = [
      ['author_insertKey', ['aura', '//Alice', u8aToHex(alice.publicKey)]],
      ['author_rotateKeys', []],
      ['author_hasKey', [u8aToHex(alice.publicKey), 'aura']],
      ['author_removeExtrinsic', [[]]],
      ['system_addReservedPeer', ['/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp']],
      ['system_removeReservedPeer', ['12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp']],
      ['system_addLogFilter', ['debug']],
      ['system_resetLogFilter', []],
      ['offchain_localStorageSet', ['PERSISTENT', '0x00', '0x00']],
    ];
    for (const [method, params] of unsafe) {
      const e = await rpcError(external.rpcPort, method, params);
      assert.match(e.message, /unsafe/i, `${method}: ${JSON.stringify(e)}`);
    }
    // The safe ones still answer.
    const health = await rpc(external.rpcPort, 'system_health');
    assert.equal(typeof health.peers, 'number');
    // The same calls on the local development node (listening on 127.0.0.1 only) are allowed:
    // `--rpc-methods auto` trusts only the local interface.
    assert.equal(await rpc(node.rpcPort, 'author_hasKey', [u8aToHex(alice.publicKey), 'aura']), true);
  } finally {
    await external.stop();
  }
  await stillUp();
});
