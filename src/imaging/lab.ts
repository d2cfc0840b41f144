/**
 * sRGB (8-bit, D65) → CIE L*a*b* (D65 white), the space the recolour engine clusters in.
 * Pure arithmetic on doubles: the same input gives the same bits on every run.
 */

/** sRGB channel value 0–255 → linear light 0–1 (the sRGB transfer function, as a lookup table). */
const SRGB_TO_LINEAR = new Float64Array(256);
for (let v = 0; v < 256; v++) {
  const c = v / 255;
  SRGB_TO_LINEAR[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

// D65 reference white.
const WHITE_X = 0.95047;
const WHITE_Y = 1.0;
const WHITE_Z = 1.08883;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

/** Writes L*, a*, b* of one sRGB colour into `out[offset..offset+2]`. */
export function srgbToLab(r: number, g: number, b: number, out: Float64Array, offset = 0): void {
  const lr = SRGB_TO_LINEAR[r]!;
  const lg = SRGB_TO_LINEAR[g]!;
  const lb = SRGB_TO_LINEAR[b]!;
  const fx = labF((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / WHITE_X);
  const fy = labF((0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb) / WHITE_Y);
  const fz = labF((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / WHITE_Z);
  out[offset] = 116 * fy - 16;
  out[offset + 1] = 500 * (fx - fy);
  out[offset + 2] = 200 * (fy - fz);
}

/** L* (0 black … 100 white) of one sRGB colour. */
export function srgbLightness(r: number, g: number, b: number): number {
  const lab = new Float64Array(3);
  srgbToLab(r, g, b, lab);
  return lab[0]!;
}
