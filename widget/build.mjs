// Bundles src/index.ts into the one script the host serves at /widget/v1/widget.js, and fails
// the build when it outgrows its budget (25 KB gzipped): the widget loads on every shop page.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const outfile = fileURLToPath(new URL('../src/AgentHost/wwwroot/widget/v1/widget.js', import.meta.url));
const budget = 25 * 1024;

await build({
  entryPoints: [fileURLToPath(new URL('src/index.ts', import.meta.url))],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
});

const script = readFileSync(outfile);
const gzipped = gzipSync(script, { level: 9 }).length;
console.log(`widget.js: ${script.length} bytes, ${gzipped} bytes gzipped (budget ${budget})`);
if (gzipped > budget) {
  console.error(`widget.js is over its budget of ${budget} bytes gzipped.`);
  process.exit(1);
}
