/**
 * JigsawStack palettes: `POST /v1/prompt_engine/run` with a prompt template, its inputs and a
 * `return_prompt` describing the JSON wanted. The answer `{success, result}` carries the result
 * as an object or as text containing JSON; palette-output.ts repairs or rejects it.
 */
import { assertPaletteCount } from '../../domain/palette.js';
import { failedAnswer } from '../http/errors.js';
import { isRecord, parseJsonBody } from '../http/json.js';
import { parsePaletteOutput } from '../http/palette-output.js';
import { PALETTE_ANSWER_SHAPE, paletteInstructions, paletteSubject } from '../http/prompts.js';
import type { PaletteProvider, PaletteRequest } from '../types.js';
import { createJigsawStackClient, type JigsawStackSettings } from './client.js';

const PROMPT_ENGINE_PATH = '/prompt_engine/run';

function promptEngineBody(request: PaletteRequest) {
  const template = paletteSubject({ logoDescription: '{logo_description}', themeDescription: '{theme_description}' });
  return {
    prompt: `${paletteInstructions(request.count)}\n\n${template}`,
    inputs: [
      { key: 'logo_description', optional: false },
      { key: 'theme_description', optional: false },
    ],
    input_values: { logo_description: request.logoDescription, theme_description: request.themeDescription },
    return_prompt: PALETTE_ANSWER_SHAPE,
  };
}

/** `result` of a successful run; a refusal or a failed run otherwise. */
function resultOf(provider: string, answer: unknown): unknown {
  if (isRecord(answer) && answer.success !== false && 'result' in answer) return answer.result;
  throw failedAnswer(provider, answer, 'a result');
}

export function createJigsawStackPaletteProvider(settings: JigsawStackSettings): PaletteProvider {
  const client = createJigsawStackClient(settings);
  const provider = client.identity.name;
  return {
    name: 'jigsawstack',
    async generatePalettes(request, signal) {
      assertPaletteCount(request.count);
      const response = await client.postJson(PROMPT_ENGINE_PATH, promptEngineBody(request), signal);
      return parsePaletteOutput(resultOf(provider, parseJsonBody(provider, response.body)), request.count, provider);
    },
  };
}
