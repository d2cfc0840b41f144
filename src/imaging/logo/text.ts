/** Text for the logo: initials from the description's significant words, and XML escaping. */

const STOP_WORDS = new Set(
  (
    'a an the and or of for to in on at by with from into over under about as is are be this that these those ' +
    'my our your their its it we i you he she they me us them who which what where when how why ' +
    'logo logos logotype icon icons mark emblem badge symbol brand branding design designed identity company ' +
    'business startup agency studio shop store firm app service services called named name new ' +
    'modern minimal minimalist simple clean flat bold elegant sleek stylish creative professional ' +
    'cute fun playful vintage retro classic abstract geometric style styled featuring feature features ' +
    'make create showing shows show using use like some very please want need'
  ).split(' '),
);

/** Words made of letters or digits (any script), in order, with their original case. */
function wordsWithCase(text: string): string[] {
  return text.normalize('NFC').match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
}

function firstLetter(word: string): string {
  const ch = [...word][0] ?? '';
  return ch.toLocaleUpperCase('en');
}

/**
 * One or two initials for a logo description. A name in quotes or in capitals wins
 * ("a logo for Blue Harbor Coffee" → "BH"); otherwise the first significant words
 * ("mountain bike repair" → "MB"). Empty when the text has no letters or digits.
 */
export function initialsFor(description: string): string {
  const quoted = /["“«]([^"”»]{1,60})["”»]/u.exec(description)?.[1];
  const source = quoted ?? description;
  const words = wordsWithCase(source);
  const significant = words.filter((w) => !STOP_WORDS.has(w.toLowerCase()));
  const capitalised = (w: string | undefined) => w !== undefined && /^\p{Lu}/u.test(w);
  // A capital on the first word may only mark the start of a sentence: it counts when the next word has one too.
  const isName = (w: string) => capitalised(w) && (words.indexOf(w) > 0 || capitalised(words[1]));
  const named = quoted ? significant : significant.filter(isName);
  const chosen = named.length > 0 ? named : significant.length > 0 ? significant : words;
  return chosen
    .slice(0, 2)
    .map(firstLetter)
    .join('');
}

/** Escapes text for SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
