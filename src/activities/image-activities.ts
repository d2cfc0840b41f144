/**
 * Image steps: make the base image (generate or refine), keep it, recolour it per palette.
 * Bytes move between object store and providers here; the workflow sees only references.
 *
 * Pixel work (normalising a made image, decoding, analysing, recolouring and encoding a variation)
 * is CPU- and memory-bound: a run's variations all arrive at once and a worker takes up to
 * MAX_CONCURRENT_ACTIVITIES, but only `imageWorkConcurrency` of them (the cores, by default) do
 * pixel work at a time; the others wait their turn, heartbeating, holding no pixels. More at once
 * would not finish sooner on those cores, and each holds several 1024² buffers. Provider calls
 * and object-store transfers are not limited (they mostly wait on the network).
 */
import pLimit from 'p-limit';
import sharp from 'sharp';
import { BUCKETS, objectPaths, type ObjectRef } from '../domain/concept.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import { parsePaletteColors } from '../domain/palette.js';
import { normalizeToPng } from '../imaging/normalize.js';
import { analyzeImageCached, recolour, type VariationFormat } from '../imaging/recolour.js';
import type { Logger } from '../logger.js';
import type { ObjectStore, TaskRepository } from '../persistence/ports.js';
import type { ImageProvider } from '../providers/types.js';
import { runActivity } from './run.js';
import type {
  CreatedVariation,
  CreateVariationInput,
  GenerateBaseImageInput,
  MadeImage,
  RefineImageInput,
  StoreBaseImageInput,
} from './types.js';

export interface ImageActivityDeps {
  objects: ObjectStore;
  tasks: TaskRepository;
  imageProvider: ImageProvider;
  logger: Logger;
  variationFormat: VariationFormat;
  /** Pixel work at once (see above). */
  imageWorkConcurrency: number;
}

/** Where a made image waits for `storeBaseImage`: inside the task's prefix, so compensation removes it. */
const stagingRef = (userId: string, taskId: string): ObjectRef => ({
  bucket: BUCKETS.concepts,
  path: `${objectPaths.taskPrefix(userId, taskId)}staging/source.png`,
});

/** Objects a task may read must be under its user's prefix (storage RLS relies on the same rule). */
function assertOwned(ref: ObjectRef, userId: string): void {
  if (!ref.path.startsWith(`${userId}/`)) throw new InvalidInputError('The original image does not belong to this user');
}

export function createImageActivities(deps: ImageActivityDeps) {
  const { objects, tasks, imageProvider, logger, variationFormat } = deps;
  const pixelWork = pLimit(deps.imageWorkConcurrency);
  // libvips' operation cache (up to 50 MB by default) keeps recent results for reuse; every image
  // here is new, so it only holds memory.
  sharp.cache(false);

  /**
   * The made image, normalised once to the stored concept format (PNG), parked in the task's
   * staging area until storeBaseImage moves it into place.
   */
  async function stage(input: { user_id: string; task_id: string }, bytes: Buffer): Promise<Omit<MadeImage, 'operations'>> {
    const png = await pixelWork(() => normalizeToPng(bytes));
    const source = stagingRef(input.user_id, input.task_id);
    await objects.put(source, png.bytes, 'image/png');
    return { source, width: png.width, height: png.height, content_type: 'image/png' };
  }

  /**
   * Runs started before staging was normalised may have parked a JPEG/WebP: re-encode it once.
   * (Remove when no such run is in flight.)
   */
  async function storeLegacyStaging(sourceRef: ObjectRef, target: ObjectRef): Promise<ObjectRef> {
    let source;
    try {
      source = await objects.get(sourceRef);
    } catch (err) {
      if (err instanceof NotFoundError && (await objects.exists(target))) return target;
      throw err;
    }
    const png = await pixelWork(() => normalizeToPng(source.bytes));
    await objects.put(target, png.bytes, 'image/png');
    await objects.remove(sourceRef.bucket, [sourceRef.path]);
    return target;
  }

  return {
    /** The image provider draws the logo; the result is parked in the task's staging area. */
    async generateBaseImage(input: GenerateBaseImageInput): Promise<MadeImage> {
      return runActivity(logger, 'generateBaseImage', input.task_id, async ({ signal, log }) => {
        const image = await imageProvider.generateLogo(
          { logoDescription: input.logo_description, themeDescription: input.theme_description },
          signal,
        );
        const made = await stage(input, image.bytes);
        log.info({ provider: imageProvider.name, width: made.width, height: made.height }, 'base image generated');
        return made;
      });
    },

    /** The image provider edits the original by the prompt; the result is parked like a generated one. */
    async refineImage(input: RefineImageInput): Promise<MadeImage> {
      return runActivity(logger, 'refineImage', input.task_id, async ({ signal }) => {
        assertOwned(input.original, input.user_id);
        const original = await objects.get(input.original);
        const refined = await imageProvider.refineLogo(
          {
            image: original.bytes,
            contentType: original.contentType,
            prompt: input.refinement_prompt,
            logoDescription: input.logo_description,
            themeDescription: input.theme_description,
            preserveAspects: input.preserve_aspects,
          },
          signal,
        );
        const made = await stage(input, refined.bytes);
        await tasks.mergeMetadata(input.task_id, { applied_operations: refined.operations });
        return { ...made, operations: refined.operations };
      });
    },

    /**
     * Keeps the made image as the concept image: a move within the store, no bytes through the
     * worker. Idempotent: a retry after the move finds the image in place.
     */
    async storeBaseImage(input: StoreBaseImageInput): Promise<ObjectRef> {
      return runActivity(logger, 'storeBaseImage', input.task_id, async () => {
        const target: ObjectRef = { bucket: BUCKETS.concepts, path: objectPaths.baseImage(input.user_id, input.task_id) };
        if (!input.source.path.endsWith('.png')) return storeLegacyStaging(input.source, target);
        try {
          await objects.move(input.source.bucket, input.source.path, target.path);
        } catch (err) {
          if (err instanceof NotFoundError && (await objects.exists(target))) return target;
          throw err;
        }
        return target;
      });
    },

    /** Recolours the base image with one palette and stores the variation. */
    async createVariation(input: CreateVariationInput): Promise<CreatedVariation> {
      return runActivity(logger, 'createVariation', input.task_id, async ({ heartbeat }) => {
        const colors = parsePaletteColors(input.palette.colors);
        const base = await objects.get(input.base);
        heartbeat('loaded');
        const output = await pixelWork(async () => {
          const analysis = await analyzeImageCached(base.bytes);
          heartbeat('analysed');
          return recolour(analysis, colors, { format: variationFormat });
        });
        const image: ObjectRef = {
          bucket: BUCKETS.palettes,
          path: objectPaths.variation(input.user_id, input.task_id, input.position, variationFormat),
        };
        await objects.put(image, output.bytes, output.contentType);
        return { position: input.position, palette: { ...input.palette, colors }, image };
      });
    },
  };
}
