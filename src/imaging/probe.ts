/** Checks that bytes are a decodable image within our limits, without decoding the pixels. */
import sharp, { type Metadata } from 'sharp';
import { InvalidImageError } from '../domain/errors.js';

export const MAX_IMAGE_DIMENSION = 4096;
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024;

export interface ImageInfo {
  width: number;
  height: number;
  format: string;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  heif: 'image/heif',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
};

/** Throws InvalidImageError for non-images, unsupported formats and oversized images. */
export async function probeImage(bytes: Uint8Array, maxDimension = MAX_IMAGE_DIMENSION): Promise<ImageInfo> {
  if (bytes.byteLength === 0) throw new InvalidImageError('The image is empty');
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    throw new InvalidImageError(`The image is ${bytes.byteLength} bytes; the limit is ${MAX_IMAGE_BYTES}`);
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: maxDimension * maxDimension }).metadata();
  } catch (err) {
    throw new InvalidImageError('The data is not a supported image', { cause: err });
  }
  const { width, height, format } = meta;
  if (!width || !height || !format) throw new InvalidImageError('The data is not a supported image');
  if (width > maxDimension || height > maxDimension) {
    throw new InvalidImageError(`The image is ${width}×${height}; the limit is ${maxDimension}×${maxDimension}`);
  }
  return { width, height, format, contentType: CONTENT_TYPES[format] ?? `image/${format}` };
}
