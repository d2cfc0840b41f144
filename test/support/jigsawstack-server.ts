/**
 * A loopback server that answers like JigsawStack for a whole run: `POST /v1/ai/image_generation`
 * returns `image` as binary PNG, `POST /v1/prompt_engine/run` returns `palettes`. Used where a
 * generation runs end to end with the JigsawStack providers pointed at it.
 */
import sharp from 'sharp';
import type { Palette } from '../../src/domain/palette.js';
import { samplePalettes } from './provider-fixtures.js';
import { sendBytes, sendJson, startProviderServer, type ProviderServer } from './provider-server.js';

export const JIGSAWSTACK_TEST_KEY = 'jigsawstack-test-key';
export const IMAGE_GENERATION = '/v1/ai/image_generation';
export const PROMPT_ENGINE = '/v1/prompt_engine/run';

/** A logo-like image the local renderer would never make: four quadrants of distinct colours. */
export async function quadrantLogo(size = 256): Promise<Buffer> {
  const half = size / 2;
  const quadrant = (background: string) => sharp({ create: { width: half, height: half, channels: 3, background } }).png().toBuffer();
  const [a, b, c, d] = await Promise.all(['#f2f2f2', '#1b1b3a', '#d7263d', '#2e86ab'].map(quadrant));
  return sharp({ create: { width: size, height: size, channels: 3, background: '#000000' } })
    .composite([
      { input: a!, left: 0, top: 0 },
      { input: b!, left: half, top: 0 },
      { input: c!, left: 0, top: half },
      { input: d!, left: half, top: half },
    ])
    .png()
    .toBuffer();
}

export interface JigsawStackServer extends ProviderServer {
  image: Buffer;
  palettes: Palette[];
}

export async function startJigsawStackServer(paletteCount: number): Promise<JigsawStackServer> {
  const server = await startProviderServer();
  const image = await quadrantLogo();
  const palettes = samplePalettes(paletteCount);
  server.on('POST', IMAGE_GENERATION, (_req, res) => sendBytes(res, image, 'image/png'));
  server.on('POST', PROMPT_ENGINE, (_req, res) => sendJson(res, 200, { success: true, result: { palettes } }));
  return Object.assign(server, { image, palettes });
}
