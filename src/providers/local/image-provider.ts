/** The local image provider: procedural logos and prompt-driven image operations, no network. */
import { probeImage } from '../../imaging/probe.js';
import { renderLogoPng } from '../../imaging/logo/index.js';
import { refineImageByPrompt } from '../../imaging/refine/index.js';
import type { GeneratedImage, ImageProvider, LogoRequest, RefinedImage, RefineRequestForProvider } from '../types.js';

function throwIfAborted(signal?: AbortSignal): void {
  signal?.throwIfAborted();
}

export function createLocalImageProvider(): ImageProvider {
  return {
    name: 'local',
    async generateLogo(request: LogoRequest, signal?: AbortSignal): Promise<GeneratedImage> {
      throwIfAborted(signal);
      const bytes = await renderLogoPng({ logoDescription: request.logoDescription, themeDescription: request.themeDescription });
      return { bytes, contentType: 'image/png' };
    },
    async refineLogo(request: RefineRequestForProvider, signal?: AbortSignal): Promise<RefinedImage> {
      throwIfAborted(signal);
      await probeImage(request.image);
      const refined = await refineImageByPrompt(request.image, request.prompt, request.preserveAspects);
      return { bytes: refined.bytes, contentType: 'image/png', operations: refined.operations };
    },
  };
}
