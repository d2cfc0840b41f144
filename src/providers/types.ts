/** The provider interface: local (default), jigsawstack and openai implement it. */
import type { Palette } from '../domain/palette.js';
import type { PreserveAspect } from '../domain/inputs.js';

export interface GeneratedImage {
  bytes: Buffer;
  /** e.g. `image/png`. */
  contentType: string;
}

export interface RefinedImage extends GeneratedImage {
  /** What was done to the image, in words a user understands (e.g. `darker`, `rounder`). */
  operations: string[];
}

export interface LogoRequest {
  logoDescription: string;
  themeDescription: string;
}

export interface RefineRequestForProvider {
  image: Buffer;
  contentType: string;
  prompt: string;
  logoDescription: string;
  themeDescription: string;
  preserveAspects: PreserveAspect[];
}

export interface PaletteRequest {
  logoDescription: string;
  themeDescription: string;
  /** Exactly this many distinct palettes of 5 colours are returned. */
  count: number;
}

export interface ImageProvider {
  readonly name: string;
  generateLogo(request: LogoRequest, signal?: AbortSignal): Promise<GeneratedImage>;
  refineLogo(request: RefineRequestForProvider, signal?: AbortSignal): Promise<RefinedImage>;
}

export interface PaletteProvider {
  readonly name: string;
  generatePalettes(request: PaletteRequest, signal?: AbortSignal): Promise<Palette[]>;
}
