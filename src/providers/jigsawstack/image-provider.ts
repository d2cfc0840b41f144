/**
 * JigsawStack images: `POST /v1/ai/image_generation` for a new logo (square, 30 steps, guidance
 * 7.5, negative prompt) and the same endpoint as image-to-image for a refinement: the original goes
 * inline as a PNG data URL in `image` with `strength: 0.7` (see docs/providers.md for why). The
 * answer is the image itself or JSON pointing at it; both are handled by readImageAnswer.
 */
import { normalizeToPng } from '../../imaging/normalize.js';
import { readImageAnswer } from '../http/image-output.js';
import { editOperations, LOGO_NEGATIVE_PROMPT, logoPrompt, refinePrompt } from '../http/prompts.js';
import type { GeneratedImage, ImageProvider } from '../types.js';
import { createJigsawStackClient, type JigsawStackSettings } from './client.js';

const IMAGE_GENERATION_PATH = '/ai/image_generation';
const STEPS = 30;
const GUIDANCE = 7.5;
/** How far image-to-image may move away from the original (0 keeps it, 1 ignores it). */
const EDIT_STRENGTH = 0.7;

function generationBody(prompt: string) {
  return {
    prompt,
    aspect_ratio: '1:1',
    steps: STEPS,
    negative_prompt: LOGO_NEGATIVE_PROMPT,
    advance_config: { negative_prompt: LOGO_NEGATIVE_PROMPT, guidance: GUIDANCE },
  };
}

export function createJigsawStackImageProvider(settings: JigsawStackSettings): ImageProvider {
  const client = createJigsawStackClient(settings);
  const generate = async (body: object, signal?: AbortSignal): Promise<GeneratedImage> =>
    readImageAnswer(client, await client.postJson(IMAGE_GENERATION_PATH, body, signal), signal);

  return {
    name: 'jigsawstack',
    generateLogo: (request, signal) => generate(generationBody(logoPrompt(request)), signal),
    async refineLogo(request, signal) {
      const original = await normalizeToPng(request.image);
      const body = {
        ...generationBody(refinePrompt(request)),
        image: `data:image/png;base64,${original.bytes.toString('base64')}`,
        strength: EDIT_STRENGTH,
      };
      return { ...(await generate(body, signal)), operations: editOperations(request) };
    },
  };
}
