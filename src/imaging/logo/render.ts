/** Renders the procedural logo to a 1024×1024 PNG with sharp (librsvg). */
import sharp from 'sharp';
import { chooseLogoDesign, type LogoTexts } from './design.js';
import { buildLogoSvg } from './svg.js';

/** The logo for two texts as PNG bytes: the same texts always give the same bytes. */
export async function renderLogoPng(texts: LogoTexts): Promise<Buffer> {
  const svg = buildLogoSvg(chooseLogoDesign(texts));
  return sharp(Buffer.from(svg, 'utf8'), { density: 72 })
    .removeAlpha()
    .png({ compressionLevel: 9, adaptiveFiltering: false })
    .toBuffer();
}
