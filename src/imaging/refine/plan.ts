/**
 * Prompt → operations: reads the grammar tables (grammar.ts), drops the operations that touch a
 * preserved aspect and orders the rest for execution. Wording nothing matches still gets a visible
 * change derived from the prompt's hash.
 */
import type { PreserveAspect } from '../../domain/inputs.js';
import { fnv1a32 } from '../logo/hash.js';
import { INTENSITIES, NORMAL_INTENSITY, PHRASES, type Intensity, type Param, type PhraseMatch, type PhraseOperation } from './grammar.js';
import type { PlannedOperation, RefineOperation } from './operation.js';
import { stageOf, touchesAny } from './operations.js';

function intensityOf(prompt: string): Intensity {
  return INTENSITIES.find((intensity) => intensity.pattern.test(prompt)) ?? NORMAL_INTENSITY;
}

function valueOf(param: Param<number> | Param<string>, match: PhraseMatch): number | string {
  if (typeof param !== 'object') return param;
  if ('read' in param) return param.read(match);
  const { base = 0, per, min, max } = param.scaled;
  let value = base + per * match.scale;
  if (min !== undefined) value = Math.max(min, value);
  if (max !== undefined) value = Math.min(max, value);
  return value;
}

function planned(spec: PhraseOperation, match: PhraseMatch, intensity: Intensity): PlannedOperation {
  const params = Object.entries(spec.params as Record<string, Param<number> | Param<string>>).map(([name, param]) => [name, valueOf(param, match)] as const);
  const operation = { kind: spec.kind, ...Object.fromEntries(params) } as RefineOperation;
  const label = spec.label.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'much') return intensity.prefix;
    const param = params.find(([key]) => key === name);
    if (!param) throw new Error(`The refine label "${spec.label}" names no parameter ${name}`);
    return String(param[1]);
  });
  return { operation, label };
}

/** The operations a prompt asks for, before preserved aspects are considered (in prompt-phrase order). */
export function parseRefinePrompt(prompt: string): PlannedOperation[] {
  const lower = prompt.toLowerCase();
  let rest = lower.replace(/\s+/g, ' ');
  const intensity = intensityOf(rest);
  const plan: PlannedOperation[] = [];
  for (const phrase of PHRASES) {
    const found = rest.match(phrase.pattern);
    if (!found) continue;
    rest = rest.replace(phrase.pattern, ' ');
    const match: PhraseMatch = { phrase: found[0], prompt: lower, scale: intensity.scale };
    for (const spec of phrase.operations) {
      if (!plan.some((p) => p.operation.kind === spec.kind)) plan.push(planned(spec, match, intensity));
    }
  }
  return plan;
}

/** The change made when nothing in the prompt is understood (or everything it asks is preserved). */
function fallbackOperation(prompt: string, preserve: ReadonlySet<PreserveAspect>): PlannedOperation {
  const hash = fnv1a32(prompt.trim().toLowerCase());
  if (!preserve.has('colors')) {
    const degrees = (hash % 2 === 0 ? 1 : -1) * (24 + (hash % 37));
    return { operation: { kind: 'hue-shift', degrees }, label: `hue shifted ${degrees}°` };
  }
  const amount = -(0.1 + (hash % 7) / 100);
  return { operation: { kind: 'lightness', amount }, label: 'deeper tones' };
}

/**
 * The operations to run for a prompt, in execution order: operations touching a preserved aspect
 * are dropped; when none is left, a visible, prompt-derived fallback runs instead.
 */
export function planRefineOperations(prompt: string, preserveAspects: readonly PreserveAspect[] = []): PlannedOperation[] {
  const preserve = new Set(preserveAspects);
  const allowed = parseRefinePrompt(prompt).filter((p) => !touchesAny(p.operation.kind, preserve));
  const chosen = allowed.length > 0 ? allowed : [fallbackOperation(prompt, preserve)];
  return [...chosen].sort((a, b) => stageOf(a.operation.kind) - stageOf(b.operation.kind));
}
