/** The local palette provider: palettes in clearly different directions from the theme text, no network. */
import type { Palette } from '../../domain/palette.js';
import type { PaletteProvider, PaletteRequest } from '../types.js';
import { generateThemePalettes } from './palettes.js';

export function createLocalPaletteProvider(): PaletteProvider {
  return {
    name: 'local',
    async generatePalettes(request: PaletteRequest, signal?: AbortSignal): Promise<Palette[]> {
      signal?.throwIfAborted();
      return generateThemePalettes({
        themeDescription: request.themeDescription,
        logoDescription: request.logoDescription,
        count: request.count,
      });
    },
  };
}
