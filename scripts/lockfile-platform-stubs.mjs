#!/usr/bin/env node
// The package registry this project installs from serves only some platforms' prebuilt
// binaries (e.g. msgpackr-extract, unrs-resolver ship one optional package per OS/CPU). npm
// leaves the unreachable ones out of package-lock.json, and `npm ci` then calls the lockfile
// out of sync. This adds each missing platform package as an optional entry tagged with its
// os/cpu, which npm skips on other platforms without fetching. Run after `npm install`:
//   npm run lock:stubs
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM = /(android|darwin|freebsd|linux|openharmony|win32|sunos|aix)-(arm64|arm|x64|ia32|loong64|ppc64|riscv64|s390x|mips64el)/;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const nested = `${path}/node_modules/${name}`;
    if (packages[key] || packages[nested]) continue;
    const platform = PLATFORM.exec(name);
    if (!platform) continue;
    const entry = { version, cpu: [platform[2]], optional: true, os: [platform[1]] };
    if (/-gnu|gnueabihf/.test(name)) entry.libc = ['glibc'];
    if (/musl/.test(name)) entry.libc = ['musl'];
    packages[key] = entry;
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile: added ${added} platform stub(s)`);
