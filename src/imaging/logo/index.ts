/** The procedural logo generator of the local provider. */
export { renderLogoPng } from './render.js';
export { chooseLogoDesign, yellowLift, type LogoDesign, type LogoTexts, type LogoLayout, type LogoStyle } from './design.js';
export { buildLogoSvg, LOGO_SIZE } from './svg.js';
export { initialsFor, escapeXml } from './text.js';
export { readThemeMood, readConceptMood, hueFamilyName, type ThemeMood } from './theme-mood.js';
export { oklchToHex, rgbToOklch, hueDistance, wrapHue, type Oklch } from './oklch.js';
