/**
 * Runs a simulator on a serial device path (one end of a socat PTY pair). When the device vanishes
 * (socat ended = cable pulled) it keeps trying to reopen the same path, so restarting socat with the
 * same link names is a replug.
 */
import { SerialPort } from 'serialport';
import type { ModemSim } from './sim';

export class SimOnPort {
  private port: SerialPort | null = null;
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  opens = 0;

  constructor(
    private readonly sim: ModemSim,
    private readonly path: string,
    private readonly baudRate = 115200,
  ) {}

  start(): void {
    this.open();
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  private open(): void {
    if (this.stopped) return;
    const p = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    p.open((error) => {
      if (error || this.stopped) {
        if (!error) p.close();
        this.retry = setTimeout(() => this.open(), 100);
        return;
      }
      this.port = p;
      this.opens++;
      const io = this.sim.attach((s) => {
        if (p.isOpen) p.write(Buffer.from(s, 'latin1'));
      });
      p.on('data', io.onData);
      p.on('error', () => undefined);
      p.on('close', () => {
        this.sim.detach();
        this.port = null;
        if (!this.stopped) this.retry = setTimeout(() => this.open(), 100);
      });
    });
  }

  /** Closes our end: socat then ends, and the bridge's port disappears (a cable pull). */
  drop(): Promise<void> {
    return new Promise((resolve) => {
      const p = this.port;
      if (!p?.isOpen) return resolve();
      p.close(() => resolve());
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.drop();
  }
}
