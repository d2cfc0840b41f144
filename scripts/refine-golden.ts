/** Rewrites test/fixtures/refine-golden.json from the current refinement code (see test/support/refine-golden.ts). */
import { writeFileSync } from 'node:fs';
import { computeRefineGolden } from '../test/support/refine-golden.js';

const path = new URL('../test/fixtures/refine-golden.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(await computeRefineGolden(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
