#!/usr/bin/env node
// Builds the web page (web/ → dist/web) with Vite. `--if-stale` (npm start's prestart) builds only
// when dist/web/index.html is missing or older than a file under web/ or package-lock.json, so
// `npm ci && npm start` stays the whole setup and a pulled change to the page is picked up.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const output = join(root, 'dist', 'web', 'index.html');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const onlyIfStale = process.argv.includes('--if-stale');
if (onlyIfStale && existsSync(output)) {
  const sources = Math.max(newestMtime(join(root, 'web')), newestMtime(join(root, 'package-lock.json')));
  if (statSync(output).mtimeMs >= sources) process.exit(0);
}

// Always a production bundle: Vite keeps a NODE_ENV it finds set (the test runner sets `test`),
// which would ship React's development build.
process.env.NODE_ENV = 'production';
console.log(onlyIfStale ? 'Building the web page (missing or older than web/) …' : 'Building the web page …');
let vite;
try {
  vite = await import('vite');
} catch {
  // An install without dev dependencies (npm ci --omit=dev) has no Vite: the API still starts, and
  // its page paths say how to build the page.
  console.warn('Web page not built: Vite is not installed (install with dev dependencies, then npm run build:web).');
  process.exit(onlyIfStale ? 0 : 1);
}
const { build } = vite;
await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
console.log(`Web page built into ${join('dist', 'web')}`);
