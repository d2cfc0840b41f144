/**
 * Refinement is pinned: the same prompt plans the same operations with the same parameters, and
 * the same image + prompt + preserved aspects give the same PNG bytes as recorded in
 * test/fixtures/refine-golden.json (see test/support/refine-golden.ts to regenerate after an
 * intended change).
 */
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PHRASES } from '../../src/imaging/refine/grammar.js';
import { computeRefineGolden, PLAN_PROMPTS, type RefineGolden } from '../support/refine-golden.js';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/refine-golden.json', import.meta.url), 'utf8')) as RefineGolden;

describe('refine golden', () => {
  it('pins a prompt for every phrase of the grammar', () => {
    const unpinned = PHRASES.filter((phrase) => !PLAN_PROMPTS.some((prompt) => phrase.pattern.test(prompt.toLowerCase())));
    assert.deepEqual(unpinned.map((phrase) => phrase.pattern.source), []);
  });

  it('plans and renders exactly what was recorded', async () => {
    const actual = await computeRefineGolden();
    assert.deepEqual(actual.plans, recorded.plans);
    assert.deepEqual(actual.outputs, recorded.outputs);
  });
});
