/**
 * OpenAI-compatible images: `POST /v1/images/generations` (JSON) for a new logo and
 * `POST /v1/images/edits` (multipart, the original as a PNG file) for a refinement. The answer's
 * `data[0]` carries `b64_json` or a `url` (downloaded, bounded); both are handled.
 */
import { normalizeToPng } from '../../imaging/normalize.js';
import { readImageAnswer } from '../http/image-output.js';
import { editOperations, logoPrompt, refinePrompt } from '../http/prompts.js';
import type { ImageProvider } from '../types.js';
import { createOpenAiClient, type OpenAiSettings } from './client.js';

const SIZE = '1024x1024';

export function createOpenAiImageProvider(settings: OpenAiSettings): ImageProvider {
  const client = createOpenAiClient(settings);
  return {
    name: 'openai',
    async generateLogo(request, signal) {
      const body = { model: settings.imageModel, prompt: logoPrompt(request), n: 1, size: SIZE };
      return readImageAnswer(client, await client.postJson('/images/generations', body, signal), signal);
    },
    async refineLogo(request, signal) {
      const original = await normalizeToPng(request.image);
      const form = new FormData();
      form.set('model', settings.imageModel);
      form.set('prompt', refinePrompt(request));
      form.set('n', '1');
      form.set('size', SIZE);
      form.set('image', new Blob([original.bytes], { type: 'image/png' }), 'logo.png');
      const image = await readImageAnswer(client, await client.postForm('/images/edits', form, signal), signal);
      return { ...image, operations: editOperations(request) };
    },
  };
}
