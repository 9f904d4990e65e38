import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { countSegments, isGsm7 } from '../../../main/templates/segments';

// split-sms ships no types: parse what it returns instead of trusting it.
const splitResult = z.object({ characterSet: z.enum(['GSM', 'Unicode']), parts: z.array(z.object({ content: z.string() })) });
const splitSms = (text: string) => splitResult.parse(createRequire(import.meta.url)('split-sms').split(text));

describe('SMS segment counter', () => {
  it('counts plain ASCII as GSM-7: 160 in one part, 153 per part after that', () => {
    expect(countSegments('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', parts: 1, units: 160, remaining: 0 });
    expect(countSegments('a'.repeat(161))).toMatchObject({ encoding: 'gsm7', parts: 2, perPart: 153, remaining: 145 });
    expect(countSegments('a'.repeat(306))).toMatchObject({ parts: 2, remaining: 0 });
    expect(countSegments('a'.repeat(307))).toMatchObject({ parts: 3 });
  });

  it('counts extension characters (€ [ ] { }) as two septets and never splits the escape pair', () => {
    expect(countSegments('€'.repeat(80))).toMatchObject({ encoding: 'gsm7', units: 160, parts: 1 });
    // 152 plain septets then € (2): 154 > 153, so the € opens part two.
    const s = 'a'.repeat(152) + '€' + 'b'.repeat(10);
    expect(countSegments(s)).toMatchObject({ units: 164, parts: 2, remaining: 153 - 12 });
  });

  it('switches Chinese to UCS-2: 70 alone, 67 per part', () => {
    expect(countSegments('尊'.repeat(70))).toMatchObject({ encoding: 'ucs2', parts: 1, remaining: 0 });
    expect(countSegments('尊'.repeat(71))).toMatchObject({ encoding: 'ucs2', parts: 2, perPart: 67 });
    expect(countSegments('尊'.repeat(134))).toMatchObject({ parts: 2, remaining: 0 });
    expect(countSegments('尊'.repeat(135))).toMatchObject({ parts: 3 });
    // One Chinese character in an otherwise ASCII text turns the whole message into UCS-2.
    expect(countSegments('Hello 张').encoding).toBe('ucs2');
    expect(isGsm7('Hello @£$')).toBe(true);
  });

  it('keeps a surrogate pair (emoji) in one part', () => {
    const s = '好'.repeat(66) + '😀' + '好';
    expect(countSegments(s)).toMatchObject({ units: 69, characters: 68, parts: 1 });
    const t = '好'.repeat(70) + '😀';
    // 66 + 😀(2) would be 68 > 67, so the pair moves to part two after 67 characters.
    expect(countSegments('好'.repeat(66) + '😀' + '好'.repeat(10))).toMatchObject({ parts: 2 });
    expect(countSegments(t).parts).toBe(2);
  });

  it('counts an empty message as zero parts', () => {
    expect(countSegments('')).toMatchObject({ parts: 0, units: 0 });
  });

  it('agrees with split-sms on part counts and encoding for random Chinese/ASCII texts', () => {
    const alphabet = fc.constantFrom('a', 'Z', '1', ' ', '€', '[', '尊', '敬', '，', '。', '@', '\n');
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 400 }), (chars) => {
        const text = chars.join('');
        const ours = countSegments(text);
        const theirs = splitSms(text);
        expect(ours.encoding).toBe(theirs.characterSet === 'GSM' ? 'gsm7' : 'ucs2');
        expect(ours.parts).toBe(theirs.parts.length);
      }),
      { numRuns: 300 },
    );
  });
});
