/** The local (default) providers: no key, no network, deterministic. */
export { createLocalImageProvider } from './image-provider.js';
export { createLocalPaletteProvider } from './palette-provider.js';
export { generateThemePalettes, type ThemePaletteRequest } from './palettes.js';
