import { rgbaImage, sharpOfRgba, type RgbaImage } from '../../rgba.js';

/** Rounds silhouettes and corners: a median filter (via libvips) over the pixels. */
export async function smoothShapes(image: RgbaImage, strength: number): Promise<RgbaImage> {
  const size = Math.max(3, Math.round((Math.min(image.width, image.height) / 110) * strength) | 1);
  const out = await sharpOfRgba(image).median(size).raw().toBuffer();
  return rgbaImage(out, image.width, image.height);
}
