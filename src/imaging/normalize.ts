/** Normalises an image from any provider into the stored concept image: PNG, orientation applied, no metadata. */
import sharp from 'sharp';
import { MAX_IMAGE_DIMENSION, probeImage } from './probe.js';

export async function normalizeToPng(bytes: Uint8Array): Promise<{ bytes: Buffer; width: number; height: number }> {
  await probeImage(bytes);
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_IMAGE_DIMENSION * MAX_IMAGE_DIMENSION })
    .rotate()
    .png({ compressionLevel: 6 })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}
