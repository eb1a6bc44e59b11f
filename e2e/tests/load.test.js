// The load test's smoke run (the full run is `scripts/load-test.sh`, whose result is in
// docs/PERFORMANCE.md): pre-signed extrinsics of every measured kind from many accounts, all
// submitted at once to a real `ehr-node --dev`; every one must be included and succeed, none
// rejected or lost. It also checks that the block limits docs/PERFORMANCE.md divides by are
// still the runtime's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDevNode } from '../lib/node.js';
import { runLoad, chart, KINDS } from '../lib/load.js';

let node;
before(async () => { node = await startDevNode(); });
after(async () => { await node?.stop(); });

test('256 pre-signed extrinsics of each kind from 16 accounts: all included, none lost', async (t) => {
  t.after(() => { if (t.passed === false) t.diagnostic(node.log(80)); });
  const report = await runLoad({ wsUrl: node.wsUrl, n: 256, accounts: 16 });
  assert.deepEqual(report.results.map((r) => r.kind), KINDS);
  for (const r of report.results) {
    assert.equal(r.submitted, 256, r.kind);
    assert.deepEqual(r.rejected, {}, `${r.kind}: rejected by the node`);
    assert.equal(r.lost, 0, `${r.kind}: lost`);
    assert.deepEqual(r.failed, {}, `${r.kind}: failed in dispatch`);
    assert.equal(r.included, 256, r.kind);
    assert.equal(r.succeeded, 256, r.kind);
    assert.equal(r.blocks.reduce((s, b) => s + b.count, 0), 256, `${r.kind}: per-block counts add up`);
    assert.ok(r.opsPerSecond > 0 && r.ratioToTransfer > 0, r.kind);
    assert.ok(r.latencyMs.p50 > 0 && r.latencyMs.p50 <= r.latencyMs.p95 && r.latencyMs.p95 <= r.latencyMs.max);
  }
  assert.equal(report.results[0].ratioToTransfer, 1);
  t.diagnostic(chart(report));

  const committed = JSON.parse(readFileSync(new URL('../../docs/perf/load-test.json', import.meta.url)));
  const shape = ({ maxBlock, baseBlock, normal, normalMaxLength }) => ({ maxBlock, baseBlock, normal, normalMaxLength });
  assert.deepEqual(shape(report.limits), shape(committed.limits),
    'the runtime\'s block limits changed: rerun scripts/load-test.sh to regenerate docs/PERFORMANCE.md');
});
