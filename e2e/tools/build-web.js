// `node tools/build-web.js [--out DIR]`: bundles the web app (web/src/main.js and the e2e client
// library it shares with the tests) with esbuild into one script, and copies the page and its
// style next to it. Everything the page loads comes from DIR: no code, fonts or styles from
// elsewhere at run time. Default DIR: web/dist.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, '../../web');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = resolve(values.out ?? join(web, 'dist'));
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(web, 'src/main.js')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome120', 'firefox120', 'safari17'],
  minify: true,
  sourcemap: true,
  // The packages live in e2e/node_modules, shared with the tests.
  nodePaths: [resolve(here, '../node_modules')],
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
for (const f of ['index.html', 'app.css']) copyFileSync(join(web, f), join(out, f));
console.log(`web app built in ${out} (app.js ${(statSync(join(out, 'app.js')).size / 1024).toFixed(0)} KiB)`);
