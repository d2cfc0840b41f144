/**
 * Exports a stored image as PNG, JPEG or SVG at a named size: small, medium and large fit the
 * image inside 500, 1000 and 2000 px squares (aspect ratio kept, enlarging when smaller), original
 * keeps its pixel size. JPEG has no alpha: transparency is flattened onto white. SVG is traced
 * (./vectorize.ts) from a working raster of at most TRACE_MAX_PX, then sized to the target.
 */
import sharp from 'sharp';
import { InvalidImageError } from '../domain/errors.js';
import { EXPORT_SIZES, type ExportFormat, type ExportSize } from '../domain/export.js';
import { MAX_IMAGE_DIMENSION, probeImage } from './probe.js';
import { DEFAULT_TRACE_OPTIONS, vectorize, type TraceOptions } from './vectorize.js';

/** Tracing cost grows with pixels while the outlines barely improve past this: trace at most this size. */
export const TRACE_MAX_PX = 512;

export const CONTENT_TYPES: Record<ExportFormat, string> = { png: 'image/png', jpg: 'image/jpeg', svg: 'image/svg+xml' };

export interface ExportedImage {
  bytes: Buffer;
  contentType: string;
  width: number;
  height: number;
}

/** Output dimensions: the longer side becomes `box` (original: unchanged). */
export function targetDimensions(width: number, height: number, size: ExportSize): { width: number; height: number } {
  const box = EXPORT_SIZES[size];
  if (box === null) return { width, height };
  const scale = box / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

const decode = (bytes: Uint8Array) => sharp(bytes, { limitInputPixels: MAX_IMAGE_DIMENSION * MAX_IMAGE_DIMENSION });

/** Runs a sharp pipeline on a stored image; its failures mean the stored data is corrupt. */
async function pixels<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new InvalidImageError('The stored image could not be decoded', { cause: err });
  }
}

export async function exportImage(
  bytes: Uint8Array,
  format: ExportFormat,
  size: ExportSize,
  trace: TraceOptions = DEFAULT_TRACE_OPTIONS,
): Promise<ExportedImage> {
  const info = await probeImage(bytes);
  const target = targetDimensions(info.width, info.height, size);
  if (format === 'svg') {
    const scale = Math.min(1, TRACE_MAX_PX / Math.max(target.width, target.height));
    const work = { width: Math.max(1, Math.round(target.width * scale)), height: Math.max(1, Math.round(target.height * scale)) };
    const { data, info: raw } = await pixels(() =>
      decode(bytes).resize(work.width, work.height, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
    );
    const svg = await vectorize({ width: raw.width, height: raw.height, data }, target, trace);
    return { bytes: Buffer.from(svg, 'utf8'), contentType: CONTENT_TYPES.svg, ...target };
  }
  const { data, info: out } = await pixels(() => {
    const resized = decode(bytes).resize(target.width, target.height, { fit: 'fill' });
    const encoded =
      format === 'jpg' ? resized.flatten({ background: '#ffffff' }).jpeg({ quality: 90, mozjpeg: true }) : resized.png({ compressionLevel: 6 });
    return encoded.toBuffer({ resolveWithObject: true });
  });
  return { bytes: data, contentType: CONTENT_TYPES[format], width: out.width, height: out.height };
}
