import type { RgbaImage } from '../../rgba.js';

/** Anti-aliased rounded-corner mask on the alpha channel; `radius` is a fraction of the shorter side. */
export function roundCorners(image: RgbaImage, radius: number): RgbaImage {
  const { data, width, height } = image;
  const r = Math.max(1, radius * Math.min(width, height));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const dx = px < r ? r - px : px > width - r ? px - (width - r) : 0;
      const dy = py < r ? r - py : py > height - r ? py - (height - r) : 0;
      if (dx === 0 || dy === 0) continue;
      const coverage = Math.max(0, Math.min(1, r - Math.hypot(dx, dy) + 0.5));
      const i = (y * width + x) * 4 + 3;
      data[i] = data[i]! * coverage;
    }
  }
  return image;
}
