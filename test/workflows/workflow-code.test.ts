/**
 * The workflow code a worker running from source loads: a bundle built once by a child process
 * and cached by a hash of its sources, rebuilt when they change, and the in-process fallback when
 * the child cannot bundle.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { workflowCodeFromSource, workflowSourceKey, type WorkflowCode } from '../../src/temporal/workflow-code.js';

// Inside the checkout (git-ignored), so the bundler resolves @temporalio/workflow from its node_modules.
const scratch = fileURLToPath(new URL('../../test-results/', import.meta.url));

function codePathOf(code: WorkflowCode): string {
  assert.ok('workflowBundle' in code && 'codePath' in code.workflowBundle, `expected a bundle file, got ${JSON.stringify(code)}`);
  return code.workflowBundle.codePath;
}

describe('workflow code from source', () => {
  let root: string;
  let cacheDir: string;

  before(() => {
    mkdirSync(scratch, { recursive: true });
    root = mkdtempSync(join(scratch, 'workflow-code-'));
    cacheDir = join(root, 'cache');
    mkdirSync(join(root, 'src/workflows'), { recursive: true });
    mkdirSync(join(root, 'src/domain'), { recursive: true });
    writeFileSync(join(root, 'src/domain/greeting.ts'), "export const GREETING = 'hello-v1';\n");
    writeFileSync(join(root, 'src/workflows/index.ts'), "import { GREETING } from '../domain/greeting';\nexport async function greet(): Promise<string> { return GREETING; }\n");
    writeFileSync(join(root, 'package-lock.json'), '{}\n');
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('bundles once in a child process, then loads the cached bundle', async () => {
    const first = codePathOf(await workflowCodeFromSource({ root, cacheDir }));
    assert.ok(first.startsWith(cacheDir));
    assert.match(readFileSync(first, 'utf8'), /hello-v1/);
    const builtAt = statSync(first).mtimeMs;

    const second = codePathOf(await workflowCodeFromSource({ root, cacheDir }));
    assert.equal(second, first);
    assert.equal(statSync(second).mtimeMs, builtAt, 'a cache hit must not bundle again');
  });

  it('bundles again when a source the bundle is made of changes (never a stale bundle)', async () => {
    const keyBefore = workflowSourceKey(root);
    writeFileSync(join(root, 'src/domain/greeting.ts'), "export const GREETING = 'hello-v2';\n");
    assert.notEqual(workflowSourceKey(root), keyBefore);
    const path = codePathOf(await workflowCodeFromSource({ root, cacheDir }));
    assert.match(readFileSync(path, 'utf8'), /hello-v2/);
    assert.doesNotMatch(readFileSync(path, 'utf8'), /hello-v1/);
  });

  it('falls back to bundling in-process, and says why, when the child cannot bundle', async () => {
    writeFileSync(join(root, 'src/workflows/index.ts'), "import { readFileSync } from 'node:fs';\nexport async function bad(): Promise<string> { return readFileSync('/etc/hostname', 'utf8'); }\n");
    const reasons: string[] = [];
    const code = await workflowCodeFromSource({ root, cacheDir, onFallback: (reason) => reasons.push(reason) });
    assert.deepEqual(code, { workflowsPath: join(root, 'src/workflows/index.ts') });
    assert.equal(reasons.length, 1);
  });
});
