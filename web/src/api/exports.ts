/**
 * Image export through the API (POST /api/export/process, the original frontend's contract): the
 * image is named by its storage path and bucket — the `image_path` the API returns, or else read
 * from the signed URL it handed out (`/storage/v1/object/sign/{bucket}/{path}`, or the embedded
 * store's earlier `/files/{bucket}/{path}`).
 */
import { ApiError, apiFetch, errorFromResponse } from './http';

export type ExportFormat = 'png' | 'jpg' | 'svg';
export type ExportSize = 'small' | 'medium' | 'large' | 'original';

/** The API fits the longer side into these boxes (src/domain/export.ts on the server). */
export const EXPORT_SIZES: { value: ExportSize; label: string }[] = [
  { value: 'small', label: 'Small · 500 px' },
  { value: 'medium', label: 'Medium · 1000 px' },
  { value: 'large', label: 'Large · 2000 px' },
  { value: 'original', label: 'Original size' },
];

export const EXPORT_FORMATS: { value: ExportFormat; label: string; hint: string }[] = [
  { value: 'png', label: 'PNG', hint: 'transparent background' },
  { value: 'jpg', label: 'JPG', hint: 'smallest file' },
  { value: 'svg', label: 'SVG', hint: 'vector, traced' },
];

export interface StorageRef {
  bucket: string;
  path: string;
}

const STORAGE_PATHS = [/^\/files\/([^/]+)\/(.+)$/, /\/storage\/v1\/object\/(?:sign|public|authenticated)\/([^/]+)\/(.+)$/];

/** The bucket and object path inside a signed image URL; null for any other URL. */
export function storageRefOf(imageUrl: string): StorageRef | null {
  let pathname: string;
  try {
    pathname = new URL(imageUrl, window.location.origin).pathname;
  } catch {
    return null;
  }
  for (const pattern of STORAGE_PATHS) {
    const match = pattern.exec(pathname);
    if (match) return { bucket: decodeURIComponent(match[1]!), path: match[2]!.split('/').map(decodeURIComponent).join('/') };
  }
  return null;
}

export const BUCKETS = { concepts: 'concept-images', palettes: 'palette-images' } as const;

/** The image to export: its stored path when the API gave it, else its signed URL. */
export interface ExportSource {
  imageUrl: string;
  storage: StorageRef | null;
}

export async function exportImage(source: ExportSource, format: ExportFormat, size: ExportSize, signal?: AbortSignal): Promise<Blob> {
  const ref = source.storage ?? storageRefOf(source.imageUrl);
  if (!ref) throw new ApiError("This image's address is not one the export service knows how to read.", 0, 'unknown_image');
  const response = await apiFetch('/api/export/process', {
    method: 'POST',
    json: { image_identifier: ref.path, storage_bucket: ref.bucket, target_format: format, target_size: size },
    signal,
  });
  if (!response.ok) {
    const error = await errorFromResponse(response);
    if (response.status === 404 && /no route/i.test(error.message)) {
      throw new ApiError('Export is not available on this server yet (it has no POST /api/export/process).', 404, 'export_unavailable');
    }
    throw error;
  }
  return response.blob();
}

/** Hands a blob to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** `summit-coffee-ember-medium.png`: readable, safe on every file system. */
export function exportFileName(parts: string[], format: ExportFormat): string {
  const slug = parts
    .join(' ')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'concept'}.${format}`;
}
