/**
 * The provider factory: IMAGE_PROVIDER and PALETTE_PROVIDER pick local (default, no network),
 * jigsawstack or openai, independently. See docs/providers.md.
 */
import { ConfigError, type Config } from '../config.js';
import { createJigsawStackImageProvider, createJigsawStackPaletteProvider, JIGSAWSTACK_KEY_VARIABLE } from './jigsawstack/index.js';
import { createLocalImageProvider, createLocalPaletteProvider } from './local/index.js';
import { createOpenAiImageProvider, createOpenAiPaletteProvider, OPENAI_KEY_VARIABLE } from './openai/index.js';
import type { ImageProvider, PaletteProvider } from './types.js';

export type ProviderConfig = Config['providers'];
export type ProviderKind = ProviderConfig['image'];

export interface ProviderOptions {
  /** Replaces the global fetch for the HTTP providers (tests, instrumentation). */
  fetch?: typeof fetch;
}

export interface Providers {
  image: ImageProvider;
  palette: PaletteProvider;
}

const KEY_VARIABLES = { jigsawstack: JIGSAWSTACK_KEY_VARIABLE, openai: OPENAI_KEY_VARIABLE } as const;

/** The settings of one HTTP provider; a ConfigError when its key is missing (loadConfig checks this too). */
function settingsOf<K extends 'jigsawstack' | 'openai'>(kind: K, role: string, config: ProviderConfig, options: ProviderOptions) {
  const section = config[kind];
  const apiKey = section.apiKey;
  if (!apiKey) throw new ConfigError([`${role}=${kind} needs ${KEY_VARIABLES[kind]}`]);
  return { ...section, apiKey, timeoutMs: config.timeoutMs, fetch: options.fetch };
}

export function createImageProvider(config: ProviderConfig, options: ProviderOptions = {}): ImageProvider {
  switch (config.image) {
    case 'local':
      return createLocalImageProvider();
    case 'jigsawstack':
      return createJigsawStackImageProvider(settingsOf('jigsawstack', 'IMAGE_PROVIDER', config, options));
    case 'openai':
      return createOpenAiImageProvider(settingsOf('openai', 'IMAGE_PROVIDER', config, options));
  }
}

export function createPaletteProvider(config: ProviderConfig, options: ProviderOptions = {}): PaletteProvider {
  switch (config.palette) {
    case 'local':
      return createLocalPaletteProvider();
    case 'jigsawstack':
      return createJigsawStackPaletteProvider(settingsOf('jigsawstack', 'PALETTE_PROVIDER', config, options));
    case 'openai':
      return createOpenAiPaletteProvider(settingsOf('openai', 'PALETTE_PROVIDER', config, options));
  }
}

/** The image and palette providers the configuration asks for. */
export function createProviders(config: ProviderConfig, options: ProviderOptions = {}): Providers {
  return { image: createImageProvider(config, options), palette: createPaletteProvider(config, options) };
}
