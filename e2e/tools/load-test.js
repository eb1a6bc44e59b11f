// `node tools/load-test.js [--network] [--n N] [--accounts K] [--out DIR]`: starts a real
// `ehr-node --dev`, runs the load test (e2e/lib/load.js) and writes `load-test.json` (every
// figure, and the runtime's block limits as the node reports them) and `load-test.txt` (the
// chart) into DIR. Exits non-zero if any extrinsic was lost or failed. `scripts/load-test.sh` is
// the one command that builds what is missing, runs this and regenerates docs/PERFORMANCE.md.
//
// `--network`: the same test on the local relay-chain network of `scripts/network.sh` (two relay
// validators, collators charlie and dave authoring in turn, 6-second blocks, real collation and
// backing), submitting to charlie and counting finalized blocks only; writes
// `load-test-network.json` and `load-test-network.txt`. Default n 6,000 (below the 6,553 future
// transactions the collators' pools hold, network/zombienet.toml).
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDevNode, waitFor } from '../lib/node.js';
import { startNetwork, wsUrl, ROOT } from '../lib/network.js';
import { runLoad, chart } from '../lib/load.js';
import { ApiPromise, WsProvider } from '@polkadot/api';

const { values } = parseArgs({
  options: {
    network: { type: 'boolean', default: false },
    n: { type: 'string' },
    accounts: { type: 'string', default: '200' },
    out: { type: 'string', default: '.' },
    // A sentence about the conditions of the run, kept in the report (e.g. other load on the
    // machine).
    note: { type: 'string' },
  },
});
const n = Number(values.n ?? (values.network ? 6000 : 12000));
const accounts = Number(values.accounts);
if (!(n > 0 && accounts > 1)) throw new Error('--n must be > 0 and --accounts > 1');

const log = (m) => console.error(`[load] ${m}`);
// Why a node ended each block it built, and how long building took: the block builder's own log
// line, from every log that builds blocks (one dev node, or both collators), by block hash. On a
// network a collator may propose several blocks at one height (one per relay parent it tries) and
// only one of them is finalized: the hash says which.
const proposed = {};
const readProposed = (text) => {
  const re = /Prepared block for proposing at (\d+) \((\d+) ms\) hash: (0x[0-9a-f]{64});.*end: (\w+); extrinsics_count: (\d+)/;
  for (const line of (text ?? '').split('\n')) {
    const m = re.exec(line);
    if (m) proposed[m[3]] = { buildMs: Number(m[2]), end: m[4], extrinsics: Number(m[5]) };
  }
};

let report;
let args;
if (values.network) {
  const dir = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'network-load');
  const net = await startNetwork({ dir, log });
  try {
    // Wait until the parachain makes blocks and finalizes them.
    const api = await ApiPromise.create({ provider: new WsProvider(wsUrl('charlie')), noInitWarn: true });
    await waitFor('the parachain to finalize block 2', async () => {
      const fin = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
      return fin.number.toNumber() >= 2;
    }, { timeoutMs: 600_000, everyMs: 1000 });
    await api.disconnect();
    log('the parachain finalizes blocks: starting the load');
    report = await runLoad({ wsUrl: wsUrl('charlie'), n, accounts, admin: '//Alice', finalized: true, log });
  } catch (e) {
    console.error(net.logTails(60));
    throw e;
  } finally {
    readProposed(net.logOf('charlie'));
    readProposed(net.logOf('dave'));
    await net.stop();
  }
  args = ['zombienet: network/zombienet.toml (relay validators alice and bob; collators charlie and dave); submitted to charlie'];
} else {
  // Blocks every 6 s, the parachain's own pace (`--dev` alone seals every 3 s). Under this
  // burst the transaction pool's upkeep after each block (validating what the block left,
  // re-submitting to the new block's view) takes seconds; when a block is proposed before it is
  // done, the proposer falls back to an older view's transactions, finds their first ones
  // already included (`Stale`), and the pool then removes each such transaction's whole
  // dependent subtree (every later nonce of its sender) from the view: thousands lost, as
  // seen at 3 s (docs/PERFORMANCE.md, *Live load test*).
  // The pool holds 131,072 ready and 13,107 future transactions (the default: 8,192 and 819):
  // the test submits 12,000 at once, and a transaction whose predecessor is still being
  // validated waits in the future queue.
  // Every line is read as it arrives: a long run (or a verbose log) would push the first
  // blocks' lines out of the node's last 5,000.
  const node = await startDevNode({
    extraArgs: ['--dev-block-time', '6000', '--pool-limit', '131072', '--pool-kbytes', '524288'],
    onLine: readProposed,
  });
  try {
    report = await runLoad({ wsUrl: node.wsUrl, n, accounts, log });
  } catch (e) {
    console.error(node.log(80));
    throw e;
  } finally {
    await node.stop();
  }
  args = node.args.filter((a) => !a.startsWith('/tmp'));
}
for (const r of report.results) {
  for (const b of r.blocks) Object.assign(b, proposed[b.hash] ?? {});
}
report.node = { args, network: values.network, date: new Date().toISOString(), note: values.note };
const text = chart(report);
const name = values.network ? 'load-test-network' : 'load-test';
mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(values.out, `${name}.txt`), `${text}\n`);
console.log(text);
const bad = report.results.filter((r) => r.lost > 0 || r.succeeded !== r.submitted);
for (const r of report.results) {
  console.log(`${r.kind}: submitted ${r.submitted}, included ${r.included} (${r.succeeded} succeeded, failed ${JSON.stringify(r.failed)}), rejected ${JSON.stringify(r.rejected)}, lost ${r.lost}; sustained ${r.sustainedOpsPerSecond.toFixed(1)} ops/s = ${r.ratioToTransfer?.toFixed(2)}x transfers (end to end ${r.opsPerSecond.toFixed(1)} ops/s), latency p50 ${r.latencyMs.p50} ms p95 ${r.latencyMs.p95} ms`);
}
if (bad.length) {
  console.error(`load test: ${bad.map((r) => r.kind).join(', ')} did not all succeed`);
  process.exit(1);
}
