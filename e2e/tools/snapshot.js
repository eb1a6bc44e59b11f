// A snapshot of a live dev chain, for try-runtime (runtime/tests/snapshot.rs): starts a real
// `ehr-node --dev`, drives it through polkadot.js as the load test does (accounts funded,
// providers accredited by an organisation's admin, patients registered, consents granted,
// records anchored and read, so every EHR pallet holds state and deposits), picks its last block
// with signed extrinsics, stops the node and writes into DIR:
// - `state.json`: the state of that block's parent, exported by `ehr-node export-state` (a raw
//   chain spec);
// - `block.scale`: the block itself, SCALE-encoded as the node stored it.
//
//   node e2e/tools/snapshot.js DIR
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { startDevNode, nodeBinary } from '../lib/node.js';
import { runLoad } from '../lib/load.js';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node e2e/tools/snapshot.js DIR');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const out = join(dir, 'state.json');

const basePath = mkdtempSync(join(tmpdir(), 'ehr-snapshot-'));
try {
  const node = await startDevNode({ basePath });
  let parent;
  try {
    const report = await runLoad({ wsUrl: node.wsUrl, n: 64, accounts: 8, log: (l) => console.log(l) });
    for (const r of report.results) {
      if (r.succeeded !== r.submitted) throw new Error(`${r.kind}: ${r.succeeded} of ${r.submitted} succeeded`);
    }
    // The last block with more than the two inherents (timestamp, validation data).
    const api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
    try {
      let n = (await api.rpc.chain.getHeader()).number.toNumber();
      for (; n > 1; n -= 1) {
        const { block } = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
        if (block.extrinsics.length > 2) {
          writeFileSync(join(dir, 'block.scale'), block.toU8a());
          console.log(`block ${n}: ${block.extrinsics.length} extrinsics`);
          break;
        }
      }
      if (n <= 1) throw new Error('no block with signed extrinsics');
      parent = n - 1;
    } finally {
      await api.disconnect();
    }
  } catch (e) {
    console.error(node.log(80));
    throw e;
  } finally {
    const exit = await node.stop();
    if (exit.code !== 0) throw new Error(`ehr-node did not stop cleanly: ${JSON.stringify(exit)}`);
  }

  // export-state writes the chain spec to stdout; the node's log goes to stderr.
  const fd = openSync(out, 'w');
  const code = await new Promise((resolve, reject) => {
    const child = spawn(nodeBinary(), ['export-state', '--dev', '--base-path', basePath, String(parent)],
      { stdio: ['ignore', fd, 'inherit'] });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  closeSync(fd);
  if (code !== 0) throw new Error(`ehr-node export-state exited with ${code}`);
  console.log(`state of block ${parent} written to ${out} (${statSync(out).size} bytes)`);
} finally {
  rmSync(basePath, { recursive: true, force: true });
}
