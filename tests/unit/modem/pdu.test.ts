import fc from 'fast-check';
import { Deliver, parse, Report, Submit } from 'node-pdu';
import { split } from 'split-sms';
import { describe, expect, it } from 'vitest';
import {
  buildDeliver,
  buildStatusReport,
  countSegments,
  decodeIncoming,
  decodeSubmit,
  encodeRelativeValidity,
  encodeSubmit,
  joinParts,
  segment,
} from '../../../main/modem/pdu';

/** Decodes our own SUBMIT parts and joins them the way a receiving handset would. */
function joinSubmits(parts: ReadonlyArray<{ pdu: string }>): string {
  return joinParts(parts.map((p) => decodeSubmit(p.pdu)).map((d) => ({ seq: d.concat?.seq ?? 1, payload: d.payload })));
}

describe('SMS-SUBMIT encoder', () => {
  it('matches the published dreamfabric SUBMIT vector byte for byte', () => {
    const [part] = encodeSubmit({ recipient: '+46708251358', text: 'hellohello', concatRef: 0, validityMinutes: 4 * 1440 });
    expect(part?.pdu).toBe('0011000B916407281553F80000AA0AE8329BFD4697D9EC37');
    expect(part?.tpduLength).toBe(23);
  });

  it('encodes Chinese as UCS2 with an 8-bit concatenation header, status report and the right CMGS length', () => {
    const text = '尊敬的王先生，您的雅阁已到首保时间，请致电预约。'.repeat(6);
    const parts = encodeSubmit({ recipient: '13812345678', text, concatRef: 200, statusReport: true });
    expect(parts).toHaveLength(3);
    for (const p of parts) {
      expect(p.tpduLength).toBe(p.pdu.length / 2 - 1);
      expect(p.pdu.slice(0, 4)).toBe('0061'); // SMSC from SIM; SUBMIT + SRR + UDHI
      const decoded = decodeSubmit(p.pdu);
      expect(decoded.recipient).toBe('13812345678');
      expect(decoded.dcs).toBe(0x08);
      expect(decoded.statusReport).toBe(true);
      expect(decoded.concat).toEqual({ ref: 200, total: 3, seq: p.seq, refBits: 8 });
      // node-pdu, an independent parser, reads the same part text.
      const other = parse(p.pdu);
      expect(other).toBeInstanceOf(Submit);
      expect((other as Submit).data.data).toBe(p.text);
    }
    expect(joinSubmits(parts)).toBe(text);
  });

  it('counts extension characters as two septets and never splits an escape pair', () => {
    const text = '{}[]'.repeat(60);
    const s = segment(text);
    expect(s.encoding).toBe('gsm7');
    expect(s.units).toBe(480);
    expect(s.parts.map((p) => p.length)).toEqual(split(text).parts.map((p) => p.length));
    const parts = encodeSubmit({ recipient: '+8613812345678', text, concatRef: 1 });
    for (const p of parts) expect(decodeSubmit(p.pdu).text).toBe(p.text);
    expect(joinSubmits(parts)).toBe(text);
  });

  it('sends characters outside GSM 7-bit (°, `) as UCS2 rather than dropping them', () => {
    for (const text of ['25°C', 'a`b', '«quote»']) {
      const [p] = encodeSubmit({ recipient: '10086', text, concatRef: 0 });
      expect(decodeSubmit(p?.pdu ?? '').text).toBe(text);
      expect(decodeSubmit(p?.pdu ?? '').dcs).toBe(0x08);
    }
  });

  it('keeps a surrogate pair in one part', () => {
    const text = `${'好'.repeat(66)}😀${'好'.repeat(10)}`;
    const { parts } = segment(text);
    expect(parts[0]).toBe('好'.repeat(66));
    expect(parts[1]?.startsWith('😀')).toBe(true);
  });

  it('encodes relative validity periods in the four TP-VP ranges', () => {
    expect(encodeRelativeValidity(5)).toBe(0);
    expect(encodeRelativeValidity(720)).toBe(143);
    expect(encodeRelativeValidity(1440)).toBe(167);
    expect(encodeRelativeValidity(3 * 1440)).toBe(169);
    expect(encodeRelativeValidity(63 * 1440)).toBe(201);
  });

  it('shows 0 parts for empty text and agrees with split-sms for short and long texts', () => {
    expect(countSegments('').parts).toBe(0);
    expect(countSegments('您好').parts).toBe(1);
    expect(countSegments('a'.repeat(160)).parts).toBe(1);
    expect(countSegments('a'.repeat(161)).parts).toBe(2);
    expect(countSegments('您'.repeat(70)).parts).toBe(1);
    expect(countSegments('您'.repeat(71)).parts).toBe(2);
  });

  const alphabet = ['a', 'Z', '0', ' ', '@', '€', '{', '^', '\n', '您', '好', '。', 'é', '😀', '𠮷', '°'];
  const textArb = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 400 }).map((a) => a.join(''));

  it('round-trips any text through encode → decode → join and agrees with split-sms on part count', () => {
    fc.assert(
      fc.property(textArb, fc.integer({ min: 0, max: 255 }), (text, ref) => {
        const parts = encodeSubmit({ recipient: '+8613900000000', text, concatRef: ref, statusReport: true });
        for (const p of parts) {
          expect(p.pdu.length % 2).toBe(0);
          expect(p.tpduLength).toBeLessThanOrEqual(164);
        }
        expect(joinSubmits(parts)).toBe(text.normalize('NFC'));
        expect(parts.length).toBe(split(text.normalize('NFC')).parts.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('incoming PDU decoder', () => {
  it('decodes published Chinese DELIVER PDUs (UCS2) the same way node-pdu does', () => {
    const cases = [
      ['0891683108200505F0840D91683196032930F0000830302180635480064F60597D0021', '+8613693092030', '你好!'],
      ['0891683108200505F0240D91683129413485F700086080404123510004963F62C9', '+8613921443587', '阿拉'],
      ['0891683108200505F0040D91683118140276F800004111502164332309F0BA7B8C66C55832', '+8613814120678', 'punch,1,2'],
    ] as const;
    for (const [pdu, sender, text] of cases) {
      const mine = decodeIncoming(pdu);
      expect(mine.type).toBe('deliver');
      if (mine.type !== 'deliver') continue;
      expect(mine.sender).toBe(sender);
      expect(mine.text).toBe(text);
      expect(mine.smsc).toBe('+8613800250500');
      const theirs = parse(pdu);
      expect(theirs).toBeInstanceOf(Deliver);
      expect((theirs as Deliver).data.data).toBe(text);
    }
    const d = decodeIncoming('0891683108200505F0040D91683118140276F800004111502164332309F0BA7B8C66C55832');
    expect(d.type === 'deliver' && d.timestamp).toBe('2014-11-05T04:46:33.000Z'); // 12:46:33 +08:00
  });

  it('decodes the dreamfabric DELIVER vector including a 1990s time stamp', () => {
    const d = decodeIncoming('07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37');
    expect(d.type === 'deliver' && [d.smsc, d.text, d.timestamp]).toEqual(['+27381000015', 'hellohello', '1999-03-29T13:16:59.000Z']);
  });

  it('decodes a status report and node-pdu reads the same reference and status', () => {
    const pdu = buildStatusReport({
      reference: 255,
      recipient: '+8613812345678',
      submittedAt: '2026-05-01T02:00:00.000Z',
      dischargedAt: '2026-05-01T02:00:07.000Z',
      status: 0x00,
      smsc: '+8613800250500',
    });
    const r = decodeIncoming(pdu);
    expect(r).toMatchObject({ type: 'status-report', reference: 255, recipient: '+8613812345678', status: 0, outcome: 'delivered' });
    expect(r.type === 'status-report' && r.dischargedAt).toBe('2026-05-01T02:00:07.000Z');
    const theirs = parse(pdu);
    expect(theirs).toBeInstanceOf(Report);
    expect((theirs as Report).reference).toBe(255);
    expect((theirs as Report).status).toBe(0);
  });

  it('classifies TP-ST into delivered, pending and failed', () => {
    const at = '2026-05-01T02:00:00.000Z';
    const outcome = (status: number) => {
      const r = decodeIncoming(buildStatusReport({ reference: 1, recipient: '10086', submittedAt: at, dischargedAt: at, status }));
      return r.type === 'status-report' ? r.outcome : null;
    };
    expect([outcome(0x00), outcome(0x02), outcome(0x20), outcome(0x30), outcome(0x40), outcome(0x65)]).toEqual([
      'delivered', 'delivered', 'pending', 'pending', 'failed', 'failed',
    ]);
  });

  it('reassembles a multipart UCS2 message whose emoji straddles two parts by joining bytes first', () => {
    // A handset that splits by bytes (not by code points) cuts the surrogate pair: 66 × 好 + 😀 over 134 octets.
    const text = `${'好'.repeat(66)}😀尾`;
    const bytes = Buffer.from(text, 'utf16le').swap16();
    const cut = 134;
    const mk = (seq: number, chunk: Buffer) => ({ seq, payload: { alphabet: 'ucs2' as const, bytes: new Uint8Array(chunk) } });
    const parts = [mk(2, bytes.subarray(cut)), mk(1, bytes.subarray(0, cut))];
    expect(joinParts(parts)).toBe(text);
  });

  it('builds multipart DELIVERs whose parts decode and join back, with fingerprints unique per part', () => {
    const text = '您好，我想预约下周二上午做保养，请回电。'.repeat(8);
    const pdus = buildDeliver({ sender: '+8613812345678', text, timestamp: '2026-05-01T02:00:00.000Z', concatRef: 9 });
    const decoded = pdus.map((p) => decodeIncoming(p));
    const delivers = decoded.flatMap((d) => (d.type === 'deliver' ? [d] : []));
    expect(delivers).toHaveLength(pdus.length);
    expect(new Set(delivers.map((d) => d.fingerprint)).size).toBe(pdus.length);
    expect(joinParts(delivers.map((d) => ({ seq: d.concat?.seq ?? 1, payload: d.payload })))).toBe(text);
  });

  it('rejects garbage with a PduError instead of reading past the end', () => {
    expect(() => decodeIncoming('0891683108')).toThrow(/PDU ends early/);
    expect(() => decodeIncoming('zz')).toThrow(/hex/);
  });
});
