/** Images and palette answers for the HTTP provider tests. */
import sharp from 'sharp';
import type { Palette } from '../../src/domain/palette.js';

/** A small solid-colour image. */
export function solidImage(background: string, format: 'png' | 'jpeg' = 'png', size = 64): Promise<Buffer> {
  const image = sharp({ create: { width: size, height: size, channels: 3, background } });
  return (format === 'png' ? image.png() : image.jpeg()).toBuffer();
}

/** `count` distinct, valid palettes as a model would write them. */
export function samplePalettes(count: number): Palette[] {
  return Array.from({ length: count }, (_, i) => {
    const v = (16 + i * 8).toString(16).padStart(2, '0');
    return {
      name: `Palette ${String.fromCharCode(65 + i)}`,
      colors: [`#${v}1020`, `#${v}4060`, `#${v}7090`, `#${v}a0c0`, `#${v}e0f0`],
      description: `Sample palette number ${i + 1}.`,
    };
  });
}
