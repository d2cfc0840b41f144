/**
 * What the original React frontend (SulmanK/concept_visualizer, frontend/my-app/src) does with
 * our answers, re-expressed for tests: how utils/url.ts derives a storage path from an image URL
 * (the `image_identifier` it exports with), how ExportOptions picks the bucket, and the headers
 * its axios client sends. Kept faithful to that code, including its fallbacks.
 */

/** utils/url.ts extractStoragePathFromUrl: the object path inside concept-images/ or palette-images/. */
export function storagePathFromImageUrl(url: string | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const storageUrl = ['/storage/v1/object/public/', '/storage/v1/object/authenticated/', '/storage/v1/object/sign/'].some((p) =>
    parsed.pathname.includes(p),
  );
  if (storageUrl) {
    for (const bucket of ['concept-images/', 'palette-images/']) {
      const parts = parsed.pathname.split(bucket);
      if (parts.length > 1) return parts[1]!;
    }
  }
  // Its last resort: a "<hex>/<hex>.<ext>" tail.
  const match = /([a-f0-9-]+\/[a-f0-9-]+\.[a-z]+)(\?.*)?$/i.exec(url);
  return match?.[1] ?? null;
}

/** ExportOptions determineStorageBucket: palette bucket for variations, else the concept bucket. */
export function bucketGuess(isPaletteVariation: boolean, variationName = ''): string {
  if (isPaletteVariation) return 'palette-images';
  const name = variationName.toLowerCase();
  return name.includes('palette') || name.includes('color') ? 'palette-images' : 'concept-images';
}

/** Headers of the axios instance (services/apiClient.ts): JSON content type plus the Supabase bearer token. */
export const originalClientHeaders = (token: string) => ({ 'Content-Type': 'application/json', Authorization: `Bearer ${token}` });
