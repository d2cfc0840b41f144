/** Prompt text shared by the HTTP providers: the logo template, the edit instruction, the palette brief. */
import type { PreserveAspect } from '../../domain/inputs.js';
import { PALETTE_SIZE } from '../../domain/palette.js';
import type { LogoRequest, PaletteRequest, RefineRequestForProvider } from '../types.js';

/** What image models should avoid (for the providers that take a negative prompt). */
export const LOGO_NEGATIVE_PROMPT = 'blurry, photo, photorealistic, text artifacts, misspelled text, watermark, signature, low quality, cluttered background';

const ASPECT_WORDS: Record<PreserveAspect, string> = {
  colors: 'colours',
  layout: 'layout and composition',
  style: 'visual style',
  shapes: 'shapes',
};

/** Trimmed, ending with a full stop unless it already ends in punctuation. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function listWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export function logoPrompt({ logoDescription, themeDescription }: LogoRequest): string {
  return [
    `A professional logo: ${sentence(logoDescription)}`,
    `Theme and mood: ${sentence(themeDescription)}`,
    'Flat vector style, simple bold shapes, clean edges, centred on a plain solid background, no mockup, no extra text.',
  ].join(' ');
}

export function refinePrompt(request: RefineRequestForProvider): string {
  const kept = request.preserveAspects.map((aspect) => ASPECT_WORDS[aspect]);
  return [
    `Edit this logo: ${sentence(request.prompt)}`,
    request.logoDescription.trim() ? `The logo shows ${sentence(request.logoDescription)}` : '',
    request.themeDescription.trim() ? `Theme and mood: ${sentence(request.themeDescription)}` : '',
    kept.length > 0 ? `Keep the ${listWords(kept)} of the original.` : '',
    'Keep it a clean, flat logo on a plain background.',
  ]
    .filter(Boolean)
    .join(' ');
}

/** What a refinement did, for RefinedImage.operations. */
export function editOperations(request: RefineRequestForProvider): string[] {
  return [`provider edit: ${request.prompt.trim()}`];
}

/** The shape palette answers must have (palette-output.ts also reads looser ones). */
export const PALETTE_ANSWER_SHAPE = {
  palettes: [{ name: 'short palette name', colors: Array<string>(PALETTE_SIZE).fill('#rrggbb'), description: 'one sentence' }],
};

/** The rules of a palette answer (the answer's shape is given separately). */
export function paletteInstructions(count: number): string {
  return [
    `You are a brand designer. Create exactly ${count} distinct colour palettes for the logo and theme given.`,
    `Each palette has exactly ${PALETTE_SIZE} colours as #rrggbb hex codes, ordered from darkest to lightest, with enough contrast for shapes and text.`,
    'Give each palette a short evocative name and a one-sentence description of its mood and use.',
  ].join('\n');
}

/** The concept a palette request is about, as text. */
export function paletteSubject(request: Pick<PaletteRequest, 'logoDescription' | 'themeDescription'>): string {
  return `Logo: ${request.logoDescription.trim()}\nTheme: ${request.themeDescription.trim()}`;
}
