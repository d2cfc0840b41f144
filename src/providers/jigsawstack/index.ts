/** The JigsawStack providers (the original service's): images and palettes over its HTTP API. */
export { createJigsawStackImageProvider } from './image-provider.js';
export { createJigsawStackPaletteProvider } from './palette-provider.js';
export { JIGSAWSTACK_KEY_VARIABLE, type JigsawStackSettings } from './client.js';
