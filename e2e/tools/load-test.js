// `node tools/load-test.js [--n N] [--accounts K] [--out DIR]`: starts a real `ehr-node --dev`,
// runs the load test (e2e/lib/load.js) and writes `load-test.json` (every figure, and the
// runtime's block limits as the node reports them) and `load-test.txt` (the chart) into DIR.
// Exits non-zero if any extrinsic was lost or failed. `scripts/load-test.sh` is the one command
// that builds what is missing, runs this and regenerates docs/PERFORMANCE.md.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDevNode } from '../lib/node.js';
import { runLoad, chart } from '../lib/load.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '12000' },
    accounts: { type: 'string', default: '200' },
    out: { type: 'string', default: '.' },
  },
});
const n = Number(values.n);
const accounts = Number(values.accounts);
if (!(n > 0 && accounts > 1)) throw new Error('--n must be > 0 and --accounts > 1');

// The default pool holds 8,192 ready transactions; the test submits more at once.
const node = await startDevNode({ extraArgs: ['--pool-limit', '65536', '--pool-kbytes', '262144'] });
let report;
try {
  report = await runLoad({ wsUrl: node.wsUrl, n, accounts, log: (m) => console.error(`[load] ${m}`) });
} catch (e) {
  console.error(node.log(80));
  throw e;
} finally {
  // Why the node ended each block it built: the block-builder's own log line.
  var proposed = {};
  const re = /Prepared block for proposing at (\d+) \((\d+) ms\).*end: (\w+); extrinsics_count: (\d+)/;
  for (const line of node.log(5000).split('\n')) {
    const m = re.exec(line);
    if (m) proposed[m[1]] = { buildMs: Number(m[2]), end: m[3], extrinsics: Number(m[4]) };
  }
  await node.stop();
}
for (const r of report.results) {
  for (const b of r.blocks) Object.assign(b, proposed[b.block] ?? {});
}
report.node = { args: node.args.filter((a) => !a.startsWith('/tmp')), date: new Date().toISOString() };
const text = chart(report);
mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, 'load-test.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(values.out, 'load-test.txt'), `${text}\n`);
console.log(text);
const bad = report.results.filter((r) => r.lost > 0 || r.succeeded !== r.submitted);
for (const r of report.results) {
  console.log(`${r.kind}: submitted ${r.submitted}, included ${r.included} (${r.succeeded} succeeded, failed ${JSON.stringify(r.failed)}), rejected ${JSON.stringify(r.rejected)}, lost ${r.lost}; sustained ${r.sustainedOpsPerSecond.toFixed(1)} ops/s = ${r.ratioToTransfer?.toFixed(2)}x transfers (end to end ${r.opsPerSecond.toFixed(1)} ops/s), latency p50 ${r.latencyMs.p50} ms p95 ${r.latencyMs.p95} ms`);
}
if (bad.length) {
  console.error(`load test: ${bad.map((r) => r.kind).join(', ')} did not all succeed`);
  process.exit(1);
}
