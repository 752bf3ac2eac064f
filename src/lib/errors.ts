/**
 * Typed errors with stable codes. Every code is listed in docs/errors.md. A busy or unanswered call is a
 * result value, not an error.
 */
export class SwitchboardError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Narrows an unknown thrown value to a message for logs and replies. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
