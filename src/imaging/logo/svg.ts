/** Builds the SVG document (1024×1024) for a logo design. */
import type { LogoDesign } from './design.js';
import { drawGlyph, type GlyphColors } from './glyphs.js';
import { contentBox, shapeElement, type Box } from './shapes.js';
import { escapeXml } from './text.js';

export const LOGO_SIZE = 1024;
const CENTER = LOGO_SIZE / 2;
const CONTAINER: Box = { cx: CENTER, cy: CENTER, size: 780 };
const n = (v: number) => Number(v.toFixed(2));

const GRADIENT_ID = 'cf-gradient';
const HALF_CLIP_ID = 'cf-half';

function defs(design: LogoDesign): string {
  const { primary, gradientEnd } = design.colors;
  return (
    `<defs><linearGradient id="${GRADIENT_ID}" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="${primary}"/><stop offset="1" stop-color="${gradientEnd}"/></linearGradient>` +
    `<clipPath id="${HALF_CLIP_ID}"><polygon points="${LOGO_SIZE},0 ${LOGO_SIZE},${LOGO_SIZE} 0,${LOGO_SIZE}"/></clipPath></defs>`
  );
}

/** Colour of ink drawn straight on the background. */
function inkOnGround(design: LogoDesign): string {
  return design.darkGround ? design.colors.light : design.colors.deep;
}

function text(letters: string, cx: number, baselineY: number, fontSize: number, fill: string): string {
  if (!letters) return '';
  return (
    `<text x="${n(cx)}" y="${n(baselineY)}" text-anchor="middle" font-family="sans-serif" font-weight="bold" ` +
    `font-size="${n(fontSize)}" letter-spacing="${n(fontSize * 0.02)}" fill="${fill}">${escapeXml(letters)}</text>`
  );
}

/** Letters centred on (cx, cy): cap height is about 0.72 em, so the baseline sits 0.36 em below the centre. */
function centredText(letters: string, box: Box, fill: string, scale = 1): string {
  const fontSize = (letters.length > 1 ? box.size * 0.62 : box.size * 0.9) * scale;
  return text(letters, box.cx, box.cy + fontSize * 0.36, fontSize, fill);
}

/** A filled container in the design's style, and the colours content on top of it should use. */
function container(design: LogoDesign, box: Box): { svg: string; content: GlyphColors; letters: string } {
  const { primary, deep, accent, background, onPrimary, duotoneHalf } = design.colors;
  const shape = design.shape;
  switch (design.style) {
    case 'outline': {
      const ink = inkOnGround(design);
      return {
        svg: shapeElement(shape, { ...box, size: box.size - 48 }, `fill="none" stroke="${ink}" stroke-width="48" stroke-linejoin="round"`),
        content: { main: primary, accent, ground: background },
        letters: ink,
      };
    }
    case 'duotone':
      return {
        svg: shapeElement(shape, box, `fill="${primary}"`) + shapeElement(shape, box, `fill="${duotoneHalf}" clip-path="url(#${HALF_CLIP_ID})"`),
        content: { main: onPrimary, accent, ground: duotoneHalf },
        letters: onPrimary,
      };
    case 'gradient':
      return {
        svg: shapeElement(shape, box, `fill="url(#${GRADIENT_ID})"`),
        content: { main: onPrimary, accent, ground: deep },
        letters: onPrimary,
      };
    case 'flat':
      return {
        svg: shapeElement(shape, box, `fill="${deep}"`) + shapeElement(shape, { ...box, size: box.size * 0.93 }, `fill="${primary}"`),
        content: { main: onPrimary, accent, ground: primary },
        letters: onPrimary,
      };
  }
}

function innerRing(design: LogoDesign, box: Box, color: string): string {
  if (!design.innerRing || design.style === 'outline') return '';
  return shapeElement(design.shape, { ...box, size: box.size * 0.8 }, `fill="none" stroke="${color}" stroke-width="12"`);
}

function emblem(design: LogoDesign): string {
  const base = container(design, CONTAINER);
  const inner = contentBox(design.shape, CONTAINER);
  const ring = innerRing(design, CONTAINER, design.colors.accent);
  if (design.layout === 'emblem-with-initials' && design.glyph) {
    const glyph = drawGlyph(design.glyph, base.content, inner.cx, inner.cy - inner.size * 0.14, inner.size * 0.76);
    const fontSize = inner.size * 0.3;
    return base.svg + ring + glyph + text(design.initials, inner.cx, inner.cy + inner.size * 0.5, fontSize, base.letters);
  }
  const content = design.glyph
    ? drawGlyph(design.glyph, base.content, inner.cx, inner.cy, inner.size)
    : centredText(design.initials, inner, base.letters);
  return base.svg + ring + content;
}

function rings(design: LogoDesign): string {
  const { primary, accent, onPrimary, background } = design.colors;
  const ink = inkOnGround(design);
  const outline = design.style === 'outline';
  const diskFill = design.style === 'gradient' ? `url(#${GRADIENT_ID})` : primary;
  const disk = outline
    ? `<circle cx="${CENTER}" cy="${CENTER}" r="300" fill="none" stroke="${primary}" stroke-width="36"/>`
    : `<circle cx="${CENTER}" cy="${CENTER}" r="310" fill="${diskFill}"/>`;
  const dash = design.style === 'duotone' ? ' stroke-dasharray="180 60"' : '';
  const content: GlyphColors = outline ? { main: primary, accent, ground: background } : { main: onPrimary, accent, ground: primary };
  const box: Box = { cx: CENTER, cy: CENTER, size: 370 };
  const inside = design.glyph
    ? drawGlyph(design.glyph, content, CENTER, CENTER, 370)
    : centredText(design.initials, box, outline ? ink : onPrimary);
  return (
    `<circle cx="${CENTER}" cy="${CENTER}" r="450" fill="none" stroke="${ink}" stroke-width="36"/>` +
    `<circle cx="${CENTER}" cy="${CENTER}" r="383" fill="none" stroke="${accent}" stroke-width="26"${dash} transform="rotate(${design.markRotation} ${CENTER} ${CENTER})"/>` +
    disk +
    inside
  );
}

function monogram(design: LogoDesign): string {
  const base = container(design, CONTAINER);
  const inner = contentBox(design.shape, CONTAINER);
  const letters = centredText(design.initials, { ...inner, cy: inner.cy - inner.size * 0.06 }, base.letters);
  const barWidth = inner.size * 0.46;
  const bar = `<rect x="${n(inner.cx - barWidth / 2)}" y="${n(inner.cy + inner.size * 0.36)}" width="${n(barWidth)}" height="${n(inner.size * 0.07)}" rx="${n(inner.size * 0.035)}" fill="${design.colors.accent}"/>`;
  return base.svg + letters + bar;
}

function geometric(design: LogoDesign): string {
  const { primary, deep, accent, light } = design.colors;
  const ink = inkOnGround(design);
  const fills = [design.style === 'gradient' ? `url(#${GRADIENT_ID})` : primary, accent, ink];
  const count = design.markCount;
  const rotate = (deg: number) => `transform="rotate(${n(deg)} ${CENTER} ${CENTER})"`;
  switch (design.mark) {
    case 'petals': {
      const length = 400;
      const width = count > 5 ? 150 : 200;
      const petal = `M${CENTER} ${CENTER} C${CENTER + width} ${CENTER - length * 0.3} ${CENTER + width} ${CENTER - length * 0.7} ${CENTER} ${CENTER - length} C${CENTER - width} ${CENTER - length * 0.7} ${CENTER - width} ${CENTER - length * 0.3} ${CENTER} ${CENTER} Z`;
      const petals = Array.from({ length: count }, (_, i) => `<path d="${petal}" fill="${fills[i % 3]}" ${rotate(design.markRotation + (360 / count) * i)}/>`);
      return petals.join('') + `<circle cx="${CENTER}" cy="${CENTER}" r="64" fill="${light}"/>`;
    }
    case 'chevrons': {
      const stack = Math.min(Math.max(count, 3), 4);
      const span = 300;
      const rise = 170;
      const step = 620 / (stack + 1);
      const top = CENTER - ((stack - 1) * step) / 2 - rise / 2 + 40;
      return Array.from({ length: stack }, (_, i) => {
        const y = top + i * step;
        const d = `M${CENTER - span} ${n(y + rise)} L${CENTER} ${n(y)} L${CENTER + span} ${n(y + rise)}`;
        return `<path d="${d}" fill="none" stroke="${fills[i % 3]}" stroke-width="${n(step * 0.62)}" stroke-linecap="round" stroke-linejoin="round"/>`;
      }).join('');
    }
    case 'orbit': {
      const satellites = Array.from({ length: Math.min(count, 4) }, (_, i) => {
        const a = ((design.markRotation + (360 / Math.min(count, 4)) * i - 90) * Math.PI) / 180;
        return `<circle cx="${n(CENTER + 400 * Math.cos(a))}" cy="${n(CENTER + 400 * Math.sin(a))}" r="${i === 0 ? 70 : 44}" fill="${accent}"/>`;
      });
      return (
        `<circle cx="${CENTER}" cy="${CENTER}" r="400" fill="none" stroke="${ink}" stroke-width="28"/>` +
        `<circle cx="${CENTER}" cy="${CENTER}" r="270" fill="${fills[0]}"/>` +
        `<circle cx="${CENTER - 80}" cy="${CENTER - 80}" r="90" fill="${light}"/>` +
        satellites.join('')
      );
    }
    case 'blocks': {
      const cell = 330;
      const gap = 40;
      const origin = CENTER - cell - gap / 2;
      const cells = [0, 1, 2, 3].map((i) => {
        const x = origin + (i % 2) * (cell + gap);
        const y = origin + Math.floor(i / 2) * (cell + gap);
        const fill = [fills[0], accent, deep === ink ? deep : ink, fills[0]][(i + count) % 4]!;
        const round = (i + design.markRotation) % 4 === 0;
        return round
          ? `<circle cx="${n(x + cell / 2)}" cy="${n(y + cell / 2)}" r="${cell / 2}" fill="${fill}"/>`
          : `<rect x="${n(x)}" y="${n(y)}" width="${cell}" height="${cell}" rx="${(i * 37 + count * 11) % 2 === 0 ? cell / 2 : 60}" fill="${fill}"/>`;
      });
      return `<g ${rotate(design.markRotation % 2 === 0 ? 0 : 45)}>${cells.join('')}</g>`;
    }
  }
}

/** The complete SVG document. */
export function buildLogoSvg(design: LogoDesign): string {
  const body =
    design.layout === 'rings'
      ? rings(design)
      : design.layout === 'monogram'
        ? monogram(design)
        : design.layout === 'geometric'
          ? geometric(design)
          : emblem(design);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LOGO_SIZE}" height="${LOGO_SIZE}" viewBox="0 0 ${LOGO_SIZE} ${LOGO_SIZE}">` +
    defs(design) +
    `<rect width="${LOGO_SIZE}" height="${LOGO_SIZE}" fill="${design.colors.background}"/>` +
    body +
    `</svg>`
  );
}
