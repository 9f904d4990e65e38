import type { ApiErrorBody } from '../../preload/contract';
import { errorMessages, type Bilingual, type ErrorCode } from '../../preload/messages';

/** An expected failure a service reports to the user; anything else becomes INTERNAL. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly userMessage: Bilingual = errorMessages[code],
    readonly issues?: ApiErrorBody['issues'],
  ) {
    super(`${code}: ${userMessage.en}`);
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.userMessage, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

/** A field-level problem found by a service after validation (e.g. a username already taken). */
export function fieldError(code: ErrorCode, path: string, message: Bilingual): ServiceError {
  return new ServiceError(code, errorMessages[code], [{ path, message }]);
}
