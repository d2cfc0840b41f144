/**
 * Palette answers of language models: repaired where safe (fences, prose, key variants, short hex),
 * rejected where not (too few valid colours, duplicates, too few palettes), never returned as garbage.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorType, ProviderBadOutputError } from '../../src/domain/errors.js';
import { paletteKey } from '../../src/domain/palette.js';
import { parsePaletteOutput } from '../../src/providers/http/palette-output.js';
import { samplePalettes } from '../support/provider-fixtures.js';

const parse = (output: unknown, count = 3) => parsePaletteOutput(output, count, 'Test provider');
const badOutput = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ProviderBadOutputError, String(err));
  assert.equal(err.type, ErrorType.ProviderBadOutput);
  assert.equal(err.retryable, true);
  assert.match(err.message, pattern);
  return true;
};

describe('palette output', () => {
  it('accepts {palettes: […]}, a bare array, and JSON text of either, keeping names and descriptions', () => {
    const palettes = samplePalettes(3);
    assert.deepEqual(parse({ palettes }), palettes);
    assert.deepEqual(parse(palettes), palettes);
    assert.deepEqual(parse(JSON.stringify({ palettes })), palettes);
    assert.deepEqual(parse({ result: JSON.stringify(palettes) }), palettes);
  });

  it('finds JSON inside markdown fences or after prose', () => {
    const palettes = samplePalettes(3);
    const fenced = `Here you go:\n\`\`\`json\n${JSON.stringify({ palettes }, null, 2)}\n\`\`\`\nEnjoy!`;
    assert.deepEqual(parse(fenced), palettes);
    assert.deepEqual(parse(`Sure! Palettes below. ${JSON.stringify(palettes)} Hope this helps.`), palettes);
  });

  it('normalises hex (short, upper case, no #), reads colours/hex_codes/{hex} and comma lists', () => {
    const [p] = parse(
      [
        { name: 'Short', colours: ['#ABC', 'def', '#123456', '0A0B0C', '#fff'], description: 'x' },
        { name: 'Codes', hex_codes: [{ hex: '#111111' }, { hex: '#222222' }, { hex: '#333333' }, { hex: '#444444' }, { hex: '#555555' }] },
        { name: 'Listed', colors: '#010101, #020202, #030303, #040404, #050505' },
      ],
      3,
    );
    assert.deepEqual(p?.colors, ['#aabbcc', '#ddeeff', '#123456', '#0a0b0c', '#ffffff']);
    const all = parse(
      [
        { colors: ['#111111', '#222222', '#333333', '#444444', '#555555', '#666666', '#777777'] },
        { hex_codes: [{ hex: '#111111' }, { hex: '#222222' }, { hex: '#333333' }, { hex: '#444444' }, { hex: '#565656' }] },
      ],
      2,
    );
    assert.equal(all[0]?.colors.length, 5, 'more than five colours are cut to five');
    assert.equal(all[0]?.name, 'Palette 1', 'a missing name is filled in');
    assert.equal(all[0]?.description, '');
  });

  it('drops invalid colours and rejects palettes left with fewer than five (never pads them)', () => {
    const good = samplePalettes(2);
    const broken = { name: 'Broken', colors: ['#12345', 'blue', '#zzzzzz', '#111111', '#222222', '#333333', '#444444'] };
    const repeated = { name: 'Repeated', colors: ['#111111', '#111111', '#222222', '#333333', '#444444'] };
    assert.deepEqual(parse([broken, ...good, repeated], 2), good);
    assert.throws(() => parse([broken, ...good, repeated], 3), badOutput(/2 usable palettes of the 3 asked for \(dropped: 2 fewer than 5 valid colours\)/));
  });

  it('drops duplicate palettes (same colours in any order) and fails when too few distinct remain', () => {
    const [a, b] = samplePalettes(2);
    const shuffled = { ...a!, name: 'Same colours', colors: [...a!.colors].reverse() };
    assert.throws(() => parse([a, shuffled, b], 3), badOutput(/2 usable palettes of the 3 .*1 a duplicate/));
    const distinct = parse([a, shuffled, b], 2);
    assert.equal(new Set(distinct.map(paletteKey)).size, 2);
  });

  it('returns exactly count palettes when the model gives more', () => {
    assert.equal(parse({ palettes: samplePalettes(9) }, 7).length, 7);
  });

  it('rejects output that is not a list of palettes', () => {
    for (const output of ['not json at all', '{"palettes": "none"}', { colors: [] }, 42, null, '']) {
      assert.throws(() => parse(output), badOutput(/did not answer with a JSON list of palettes/), JSON.stringify(output));
    }
    assert.throws(() => parse(['a', 1, null]), badOutput(/0 usable .*3 not an object/));
  });

  it('cleans names and descriptions: control characters, whitespace, length', () => {
    const [p] = parse([{ ...samplePalettes(1)[0]!, name: ' Deep\n\tSea ', description: 'x'.repeat(1000) }], 1);
    assert.equal(p?.name, 'Deep Sea');
    assert.equal(p?.description.length, 400);
  });
});
