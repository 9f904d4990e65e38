/**
 * The byte pipe under the AT engine. Injectable so unit tests drive the engine with an in-memory
 * duplex; production and integration tests use a real serial port (a socat PTY in tests).
 */
import { SerialPort } from 'serialport';

export interface AtTransport {
  write(data: string): Promise<void>;
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the port goes away (cable pulled, device reset, closed by us). */
  onClose(listener: (error: Error | null) => void): void;
  close(): Promise<void>;
}

export type TransportFactory = () => Promise<AtTransport>;

export interface SerialSettings {
  path: string;
  baudRate: number;
  /** RTS/CTS only where the cable really wires it (smstools FAQ: garbage and lost echo otherwise). */
  rtscts?: boolean;
}

export function serialTransportFactory(settings: () => SerialSettings): TransportFactory {
  return () =>
    new Promise<AtTransport>((resolve, reject) => {
      const s = settings();
      const port = new SerialPort({ path: s.path, baudRate: s.baudRate, rtscts: s.rtscts ?? false, autoOpen: false });
      port.open((error) => {
        if (error) return reject(error);
        let closed = false;
        const closeListeners: Array<(e: Error | null) => void> = [];
        const fireClose = (e: Error | null) => {
          if (closed) return;
          closed = true;
          for (const l of closeListeners) l(e);
        };
        port.on('close', (e: Error | null) => fireClose(e ?? null));
        port.on('error', (e: Error) => fireClose(e));
        resolve({
          write: (data) =>
            new Promise<void>((res, rej) => {
              // The write callback means the bytes reached the OS; tcdrain (drain) would add a round trip per command.
              port.write(Buffer.from(data, 'latin1'), (e) => (e ? rej(e) : res()));
            }),
          onData: (listener) => port.on('data', listener),
          onClose: (listener) => closeListeners.push(listener),
          close: () =>
            new Promise<void>((res) => {
              if (!port.isOpen) return res();
              port.close(() => res());
            }),
        });
      });
    });
}

export interface PortInfo {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
}

/** Serial ports the OS knows, for the settings screen's port picker. */
export async function listPorts(): Promise<PortInfo[]> {
  const ports = await SerialPort.list();
  return ports.map((p) => ({
    path: p.path,
    manufacturer: p.manufacturer ?? null,
    serialNumber: p.serialNumber ?? null,
    vendorId: p.vendorId ?? null,
    productId: p.productId ?? null,
  }));
}

export interface PortMatch {
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
}

/**
 * After a replug the device name can change (ttyUSB0 → ttyUSB3, COM3 → COM7): find it again by USB
 * identity, falling back to the configured path.
 */
export async function rediscoverPort(fallback: string, match: PortMatch | undefined): Promise<string> {
  if (!match || (!match.vendorId && !match.productId && !match.serialNumber)) return fallback;
  const found = (await listPorts()).find(
    (p) =>
      (!match.vendorId || p.vendorId?.toLowerCase() === match.vendorId.toLowerCase()) &&
      (!match.productId || p.productId?.toLowerCase() === match.productId.toLowerCase()) &&
      (!match.serialNumber || p.serialNumber === match.serialNumber),
  );
  return found?.path ?? fallback;
}
