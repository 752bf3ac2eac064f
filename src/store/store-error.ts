/** Typed errors of the storage room. */
import { SwitchboardError } from '../lib/index.ts';

export type StoreErrorCode =
  /** A store built with unusable options (a non-positive size bound). */
  'STORE_CONFIG';

export class StoreError extends SwitchboardError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
