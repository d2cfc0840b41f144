/**
 * Exporting one of the user's own stored images: find it (by concept/variation id, or by the
 * object path the original frontend reads out of an image URL), count one export against the
 * user's quota, render it, and give the unit back if rendering fails. Images of other users and
 * missing ones are the same NotFoundError: nobody learns which paths exist.
 */
import { randomUUID } from 'node:crypto';
import { BUCKETS, isSafeObjectPath, type Bucket, type ObjectRef } from '../domain/concept.js';
import { NotFoundError } from '../domain/errors.js';
import type { ExportRequest } from '../domain/export.js';
import type { QuotaDecision, QuotaWindowUsage } from '../domain/quota.js';
import { exportImage } from '../imaging/export.js';
import { DEFAULT_TRACE_OPTIONS, type TraceOptions } from '../imaging/vectorize.js';
import type { Persistence } from '../persistence/ports.js';
import type { QuotaService } from './quotas.js';

export type ExportOutcome =
  | { kind: 'exported'; bytes: Buffer; contentType: string; filename: string; width: number; height: number; quota: QuotaWindowUsage[] }
  | { kind: 'quota_exceeded'; decision: QuotaDecision };

const notFound = () => new NotFoundError('Image not found');
const otherBucket = (bucket: Bucket): Bucket => (bucket === BUCKETS.concepts ? BUCKETS.palettes : BUCKETS.concepts);

export class ExportService {
  constructor(
    private readonly persistence: Persistence,
    private readonly quotas: QuotaService,
  ) {}

  async export(userId: string, request: ExportRequest): Promise<ExportOutcome> {
    const source = await this.locate(userId, request);
    const original = await this.persistence.objects.get(source).catch((err: unknown) => {
      throw err instanceof NotFoundError ? notFound() : err;
    });
    const subject = `export-${randomUUID()}`;
    const decision = await this.quotas.take(userId, 'export', subject);
    if (!decision.granted) return { kind: 'quota_exceeded', decision };
    try {
      const rendered = await exportImage(original.bytes, request.target_format, request.target_size, traceOptionsOf(request));
      return { kind: 'exported', ...rendered, filename: fileNameFor(source, request), quota: decision.windows };
    } catch (err) {
      await this.quotas.refund('export', subject);
      throw err;
    }
  }

  /** The stored object the request names, checked to be the user's and to exist. */
  private async locate(userId: string, request: ExportRequest): Promise<ObjectRef> {
    if (request.concept_id !== undefined) {
      const concept = await this.persistence.concepts.get(request.concept_id, userId);
      if (!concept) throw notFound();
      if (request.variation_id === undefined) return { bucket: BUCKETS.concepts, path: concept.image_path };
      const variation = concept.color_variations.find((v) => v.id === request.variation_id);
      if (!variation) throw notFound();
      return { bucket: BUCKETS.palettes, path: variation.image_path };
    }
    const path = request.image_identifier ?? '';
    if (!isSafeObjectPath(path) || !path.startsWith(`${userId}/`)) throw notFound();
    // The original frontend guesses the bucket from the variation's name; the paths of the two
    // buckets never collide (base.png vs variation-NN.png), so the other bucket is tried too.
    const named = request.storage_bucket ?? BUCKETS.concepts;
    for (const bucket of [named, otherBucket(named)]) {
      if (await this.persistence.objects.exists({ bucket, path })) return { bucket, path };
    }
    throw notFound();
  }
}

function traceOptionsOf(request: ExportRequest): TraceOptions {
  const params = request.svg_params ?? {};
  return {
    colorMode: params.color_mode ?? DEFAULT_TRACE_OPTIONS.colorMode,
    colors: params.max_colors ?? DEFAULT_TRACE_OPTIONS.colors,
    minPathLength: params.filter_speckle_size ?? DEFAULT_TRACE_OPTIONS.minPathLength,
  };
}

/** `concept-{task id prefix}-{image name}-{size}.{format}`, e.g. `concept-3f2a1b4c-variation-02-large.svg`. */
function fileNameFor(source: ObjectRef, request: ExportRequest): string {
  const segments = source.path.split('/');
  const task = (segments.length > 2 ? segments[1]! : 'image').replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'image';
  const name = (segments.at(-1) ?? 'image').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]/g, '') || 'image';
  return `concept-${task}-${name}-${request.target_size}.${request.target_format}`;
}
