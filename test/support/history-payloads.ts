/**
 * Looking inside a workflow history for what must never be there: every Temporal payload in its
 * JSON form (protobufjs `toJSON()`: bytes as base64), and whether a payload's data is image bytes.
 * Shared by the replay tests and the pipeline benchmark.
 */

export interface JsonPayload {
  metadata: Record<string, string>;
  data?: string;
}

/** Every Temporal payload ({metadata, data}) anywhere in a history's JSON. */
export function payloadsOf(node: unknown, out: JsonPayload[] = []): JsonPayload[] {
  if (Array.isArray(node)) node.forEach((n) => payloadsOf(n, out));
  else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (obj.metadata && typeof obj.metadata === 'object' && 'encoding' in (obj.metadata as object)) {
      out.push(obj as unknown as JsonPayload);
    } else Object.values(obj).forEach((v) => payloadsOf(v, out));
  }
  return out;
}

const IMAGE_SIGNATURES: [string, Buffer][] = [
  ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
  ['JPEG', Buffer.from([0xff, 0xd8, 0xff])],
  ['GIF', Buffer.from('GIF8')],
  ['WebP/RIFF', Buffer.from('RIFF')],
];

/** What kind of image bytes `data` holds (raw, base64, data URL, a byte array), or undefined. */
export function imageBytesIn(data: Buffer): string | undefined {
  for (const [name, magic] of IMAGE_SIGNATURES) if (data.subarray(0, magic.length).equals(magic)) return name;
  const text = data.toString('latin1');
  if (/data:image\//.test(text)) return 'data URL';
  if (/iVBORw0KGgo|\/9j\/4|UklGR/.test(text)) return 'base64 image';
  // A JSON-encoded Buffer ({"type":"Buffer","data":[…]}) or a long byte array.
  if (/"type":"Buffer"/.test(text) || /\[(\d{1,3},){256}/.test(text)) return 'byte array';
  return undefined;
}
