/** The print service's contract and its one expected non-failure (a cancelled print). */
import type { PageSize } from '../../db/tables/campaigns';

export interface PrintOptions {
  /** Aborting stops the print: the browser child is killed and toPdf rejects with PrintCancelled. */
  signal?: AbortSignal;
}

export interface PrintService {
  /** Which engine prints, for diagnostics and the guide ("Chromium" on the browser host). */
  readonly engine: 'chromium' | 'electron';
  toPdf(html: string, page: PageSize, options?: PrintOptions): Promise<Buffer>;
}

/** The print was cancelled by its caller (not a failure: nothing to report to IT). */
export class PrintCancelled extends Error {
  constructor() {
    super('print cancelled');
    this.name = 'PrintCancelled';
  }
}

export const isPrintCancelled = (error: unknown): error is PrintCancelled => error instanceof PrintCancelled;
