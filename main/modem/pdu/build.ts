/**
 * Builders for the PDUs a network sends to a modem (SMS-DELIVER, SMS-STATUS-REPORT). The product never
 * sends these; the simulator and tests do, so what they inject is byte-exact 23.040.
 */
import { segment } from './submit';
import { encodeAddress, encodeGsm7UserData, encodeTimestamp, toHex, utf16beEncode } from './fields';

export interface DeliverOptions {
  sender: string;
  text: string;
  timestamp: string;
  /** When set, the text is split like a handset would and each part carries this 8-bit reference. */
  concatRef?: number;
  smsc?: string;
}

function smscField(smsc: string | undefined): Uint8Array {
  if (!smsc) return Uint8Array.of(0);
  const a = encodeAddress(smsc);
  // The SMSC length counts octets (TOA + digits), unlike TP addresses which count digits.
  return Uint8Array.of(a.length - 1, ...a.subarray(1));
}

export function buildDeliver(options: DeliverOptions): string[] {
  const { encoding, parts } = segment(options.text);
  const concatenated = parts.length > 1;
  if (concatenated && options.concatRef === undefined) throw new Error('A long DELIVER needs a concatRef');
  return parts.map((text, i) => {
    const udh = concatenated ? Uint8Array.of(0x00, 0x03, options.concatRef as number, parts.length, i + 1) : null;
    let udl: number;
    let ud: Uint8Array;
    if (encoding === 'gsm7') ({ udl, ud } = encodeGsm7UserData(text, udh));
    else {
      const body = utf16beEncode(text);
      ud = udh ? Uint8Array.of(udh.length, ...udh, ...body) : body;
      udl = ud.length;
    }
    const tpdu = Uint8Array.of(
      concatenated ? 0x44 : 0x04, // TP-MTI=00 DELIVER, TP-MMS=1 (no more messages), TP-UDHI
      ...encodeAddress(options.sender),
      0x00,
      encoding === 'gsm7' ? 0x00 : 0x08,
      ...encodeTimestamp(options.timestamp),
      udl,
      ...ud,
    );
    return toHex(Uint8Array.of(...smscField(options.smsc), ...tpdu));
  });
}

export interface StatusReportOptions {
  reference: number;
  recipient: string;
  submittedAt: string;
  dischargedAt: string;
  status: number;
  smsc?: string;
}

export function buildStatusReport(o: StatusReportOptions): string {
  const tpdu = Uint8Array.of(
    0x06, // TP-MTI=10 STATUS-REPORT, TP-MMS=1
    o.reference & 0xff,
    ...encodeAddress(o.recipient),
    ...encodeTimestamp(o.submittedAt),
    ...encodeTimestamp(o.dischargedAt),
    o.status,
  );
  return toHex(Uint8Array.of(...smscField(o.smsc), ...tpdu));
}
