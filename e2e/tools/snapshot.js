// A snapshot of a live dev chain, for try-runtime (runtime/tests/snapshot.rs): starts a real
// `ehr-node --dev`, drives it through polkadot.js as the load test does (accounts funded,
// providers accredited by an organisation's admin, patients registered, consents granted,
// records anchored and read, so every EHR pallet holds state and deposits), stops the node and
// writes the state of its best block with `ehr-node export-state` (a raw chain spec).
//
//   node e2e/tools/snapshot.js OUT.json
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevNode, nodeBinary, rpc } from '../lib/node.js';
import { runLoad } from '../lib/load.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: node e2e/tools/snapshot.js OUT.json');
  process.exit(2);
}

const basePath = mkdtempSync(join(tmpdir(), 'ehr-snapshot-'));
try {
  const node = await startDevNode({ basePath });
  let best;
  try {
    const report = await runLoad({ wsUrl: node.wsUrl, n: 64, accounts: 8, log: (l) => console.log(l) });
    for (const r of report.results) {
      if (r.succeeded !== r.submitted) throw new Error(`${r.kind}: ${r.succeeded} of ${r.submitted} succeeded`);
    }
    best = parseInt((await rpc(node.rpcPort, 'chain_getHeader')).number, 16);
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
    const child = spawn(nodeBinary(), ['export-state', '--dev', '--base-path', basePath, String(best)],
      { stdio: ['ignore', fd, 'inherit'] });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  closeSync(fd);
  if (code !== 0) throw new Error(`ehr-node export-state exited with ${code}`);
  console.log(`state of block ${best} written to ${out} (${statSync(out).size} bytes)`);
} finally {
  rmSync(basePath, { recursive: true, force: true });
}
