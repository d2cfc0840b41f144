/**
 * OpenAI-compatible palettes: `POST /v1/chat/completions` in JSON mode; `choices[0].message.content`
 * goes through palette-output.ts. A model refusal or a content-filter stop is a rejection the user
 * can act on; an answer cut off by the token limit is retryable bad output.
 */
import { ProviderBadOutputError } from '../../domain/errors.js';
import { assertPaletteCount } from '../../domain/palette.js';
import { contentPolicyError, failedAnswer } from '../http/errors.js';
import { first, isRecord, parseJsonBody } from '../http/json.js';
import { parsePaletteOutput } from '../http/palette-output.js';
import { PALETTE_ANSWER_SHAPE, paletteInstructions, paletteSubject } from '../http/prompts.js';
import type { PaletteProvider, PaletteRequest } from '../types.js';
import { createOpenAiClient, type OpenAiSettings } from './client.js';

function completionBody(model: string, request: PaletteRequest) {
  const system = `${paletteInstructions(request.count)}\nAnswer with JSON only, in this shape: ${JSON.stringify(PALETTE_ANSWER_SHAPE)}`;
  return {
    model,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: paletteSubject(request) },
    ],
  };
}

/** The text of the first choice, or why there is none. */
function contentOf(provider: string, answer: unknown): string {
  const choice = isRecord(answer) ? first(answer.choices) : undefined;
  const message = isRecord(choice) ? choice.message : undefined;
  if (!isRecord(choice) || !isRecord(message)) throw failedAnswer(provider, answer, 'a chat completion');
  if (typeof message.refusal === 'string' && message.refusal.trim()) throw contentPolicyError(provider, message.refusal.trim());
  if (choice.finish_reason === 'content_filter') throw contentPolicyError(provider, 'content filter');
  if (choice.finish_reason === 'length') throw new ProviderBadOutputError(`${provider}'s palette answer was cut off at the token limit`);
  if (typeof message.content !== 'string') throw new ProviderBadOutputError(`${provider} answered without message content`);
  return message.content;
}

export function createOpenAiPaletteProvider(settings: OpenAiSettings): PaletteProvider {
  const client = createOpenAiClient(settings);
  const provider = client.identity.name;
  return {
    name: 'openai',
    async generatePalettes(request, signal) {
      assertPaletteCount(request.count);
      const response = await client.postJson('/chat/completions', completionBody(settings.chatModel, request), signal);
      return parsePaletteOutput(contentOf(provider, parseJsonBody(provider, response.body)), request.count, provider);
    },
  };
}
