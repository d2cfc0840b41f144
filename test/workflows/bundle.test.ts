/**
 * Offline guard for workflow code: it must bundle with the SDK's bundler (which rejects Node
 * builtins and other non-deterministic modules), and the bundle must not pull in activity,
 * adapter or provider code — workflows import those as types only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bundleWorkflowCode } from '@temporalio/worker';
import { quietLogger, workflowBundle } from '../support/temporal-env.js';

describe('workflow bundle', () => {
  it('bundles generateConcept and refineConcept without forbidden modules', async () => {
    const { code } = await workflowBundle();
    assert.match(code, /generateConcept/);
    assert.match(code, /refineConcept/);
    assert.match(code, /getProgress/);
    for (const forbidden of ['node_modules/sharp', 'node_modules/zod', 'node_modules/pino', 'node_modules/express', 'node_modules/@supabase', 'node_modules/@electric-sql', 'src/activities/image-activities', 'src/persistence/', 'src/providers/', 'src/imaging/']) {
      assert.ok(!code.includes(forbidden), `workflow bundle must not include ${forbidden}`);
    }
  });

  it('the same bundler rejects a workflow that imports a Node builtin (the guard is live)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-bundle-'));
    try {
      const file = join(dir, 'bad-workflow.ts');
      writeFileSync(file, "import { readFileSync } from 'node:fs';\nexport async function bad(): Promise<string> { return readFileSync('/etc/hostname', 'utf8'); }\n");
      await assert.rejects(bundleWorkflowCode({ workflowsPath: file, logger: quietLogger }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
