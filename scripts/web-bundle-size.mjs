// Prints the gzipped JavaScript each web app ships and fails when the portal's initial load
// (everything its index.html pulls in, lazy chunks excluded) is over its 150 kB budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = { portal: 150 * 1024 };
let failed = false;
for (const app of ['app', 'portal']) {
  const dir = join('dist', 'web', app);
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/assets\/([^"]+\.js)/g)].map((m) => m[1]));
  let initialBytes = 0;
  let allBytes = 0;
  for (const file of readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'))) {
    const size = gzipSync(readFileSync(join(dir, 'assets', file))).length;
    allBytes += size;
    if (initial.has(file)) initialBytes += size;
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
  console.log(`web: ${app} JS gzipped: ${kb(initialBytes)} on first load, ${kb(allBytes)} in all`);
  if (BUDGET[app] && initialBytes > BUDGET[app]) {
    console.error(`web: ${app} is over its ${kb(BUDGET[app])} budget`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
