/**
 * Raster → SVG by colour tracing with imagetracerjs (quantises the colours, traces each colour
 * layer's outlines, fits lines and quadratic curves): real <path> outlines, no embedded raster.
 *
 * Tracing is synchronous, CPU-bound JavaScript (~0.5–1 s for a 512 px logo), so it runs in a
 * worker thread: the API's event loop keeps serving other requests meanwhile. At most
 * MAX_CONCURRENT_TRACES run at once (others wait their turn), and a trace that overruns its time
 * is stopped. The worker is a few lines evaluated from a string, with the library's resolved path
 * passed in, so it runs the same under tsx and from compiled output.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, RGBA. */
  data: Buffer;
}

export interface TraceOptions {
  /** `color` traces up to `colors` colours; `binary` traces two. */
  colorMode: 'color' | 'binary';
  /** Colours to quantise to in colour mode (2–64). */
  colors: number;
  /** Outlines shorter than this many pixels are dropped (speckles). */
  minPathLength: number;
}

export const DEFAULT_TRACE_OPTIONS: TraceOptions = { colorMode: 'color', colors: 16, minPathLength: 8 };
export const MAX_CONCURRENT_TRACES = 2;
export const TRACE_TIMEOUT_MS = 30_000;

const TRACER_PATH = createRequire(import.meta.url).resolve('imagetracerjs');

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const tracer = require(workerData.tracerPath);
const { width, height, data, options } = workerData.job;
parentPort.postMessage(tracer.imagedataToSVG({ width, height, data: new Uint8ClampedArray(data) }, options));
`;

/** imagetracerjs options for logos: deterministic palette sampling, outlines closed by a hairline stroke. */
function tracerOptions(options: TraceOptions) {
  const binary = options.colorMode === 'binary';
  return {
    numberofcolors: binary ? 2 : Math.max(2, Math.min(64, Math.round(options.colors))),
    colorsampling: binary ? 0 : 2,
    colorquantcycles: 3,
    mincolorratio: 0,
    pathomit: Math.max(0, Math.min(256, Math.round(options.minPathLength))),
    ltres: 1,
    qtres: 1,
    rightangleenhance: true,
    blurradius: 0,
    strokewidth: 1,
    linefilter: false,
    roundcoords: 1,
    scale: 1,
    viewbox: true,
    desc: false,
  };
}

let running = 0;
const waiting: (() => void)[] = [];

async function withTraceSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_TRACES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function traceInWorker(image: RgbaImage, options: TraceOptions, timeoutMs: number): Promise<string> {
  const data = new Uint8Array(image.data).buffer; // a copy the worker can own
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { tracerPath: TRACER_PATH, job: { width: image.width, height: image.height, data, options: tracerOptions(options) } },
    transferList: [data],
  });
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`vectorising took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    worker.once('message', (svg: unknown) => settle(() => (typeof svg === 'string' ? resolve(svg) : reject(new Error('the tracer answered no SVG')))));
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the tracing worker exited (code ${code}) without an answer`))));
  }).finally(() => void worker.terminate());
}

/**
 * Traces an RGBA image into an SVG document whose viewBox is the image's pixel grid, sized to
 * `width` × `height` (the requested output size: the outlines scale without loss).
 */
export async function vectorize(
  image: RgbaImage,
  output: { width: number; height: number },
  options: TraceOptions = DEFAULT_TRACE_OPTIONS,
  timeoutMs = TRACE_TIMEOUT_MS,
): Promise<string> {
  if (image.data.length !== image.width * image.height * 4) throw new Error('vectorize: data is not width × height RGBA');
  const svg = await withTraceSlot(() => traceInWorker(image, options, timeoutMs));
  if (!svg.startsWith('<svg ')) throw new Error('vectorize: the tracer answered no SVG document');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg width="${output.width}" height="${output.height}" ${svg.slice('<svg '.length)}`;
}
