/**
 * OKLCH colours (perceptual lightness, chroma, hue) → sRGB hex, with chroma reduced until the
 * colour fits the sRGB gamut, so equal lightness looks equally light whatever the hue.
 * Used by the procedural logo and by the local palette provider.
 */
import { rgbToHex } from '../../domain/palette.js';

export interface Oklch {
  /** Perceptual lightness 0 (black) … 1 (white). */
  l: number;
  /** Chroma 0 (grey) … about 0.37 (the most saturated sRGB colours). */
  c: number;
  /** Hue angle in degrees: red ≈ 30, orange ≈ 60, yellow ≈ 100, green ≈ 145, cyan ≈ 200, blue ≈ 260, purple ≈ 305, pink ≈ 350. */
  h: number;
}

function linearToSrgb(v: number): number {
  return v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
}

function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** OKLCH → sRGB in 0–1 per channel, possibly outside [0, 1] when out of gamut. */
function oklchToSrgbUnclamped({ l, c, h }: Oklch): [number, number, number] {
  const rad = (h * Math.PI) / 180;
  const a = c * Math.cos(rad);
  const b = c * Math.sin(rad);
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    linearToSrgb(4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_),
    linearToSrgb(-1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_),
    linearToSrgb(-0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_),
  ];
}

const inGamut = (rgb: number[]) => rgb.every((v) => v >= -1e-4 && v <= 1 + 1e-4);

/** The colour as `#rrggbb`; chroma is reduced (hue and lightness kept) until it fits sRGB. */
export function oklchToHex(color: Oklch): string {
  const l = Math.min(1, Math.max(0, color.l));
  const h = ((color.h % 360) + 360) % 360;
  let rgb = oklchToSrgbUnclamped({ l, c: Math.max(0, color.c), h });
  if (!inGamut(rgb)) {
    let low = 0;
    let high = Math.max(0, color.c);
    for (let i = 0; i < 24; i++) {
      const mid = (low + high) / 2;
      if (inGamut(oklchToSrgbUnclamped({ l, c: mid, h }))) low = mid;
      else high = mid;
    }
    rgb = oklchToSrgbUnclamped({ l, c: low, h });
  }
  return rgbToHex(rgb[0] * 255, rgb[1] * 255, rgb[2] * 255);
}

/** sRGB 0–255 → OKLCH (hue 0 for greys). */
export function rgbToOklch(r: number, g: number, b: number): Oklch {
  const lr = srgbToLinear(r / 255);
  const lg = srgbToLinear(g / 255);
  const lb = srgbToLinear(b / 255);
  const l_ = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m_ = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s_ = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  const l = 0.2104542553 * l_ + 0.793617785 * m_ - 0.0040720468 * s_;
  const a = 1.9779984951 * l_ - 2.428592205 * m_ + 0.4505937099 * s_;
  const bb = 0.0259040371 * l_ + 0.7827717662 * m_ - 0.808675766 * s_;
  const c = Math.hypot(a, bb);
  const h = c < 1e-6 ? 0 : (((Math.atan2(bb, a) * 180) / Math.PI) % 360 + 360) % 360;
  return { l, c, h };
}

/** Smallest angle between two hues, 0–180 degrees. */
export function hueDistance(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}

/** A hue in 0–360. */
export function wrapHue(h: number): number {
  return ((h % 360) + 360) % 360;
}
