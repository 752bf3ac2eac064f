/**
 * Typed transaction errors (RFC 3261 sections 17.1.1.2, 17.1.2.2, 17.1.4, 17.2.1, 17.2.4). They are
 * reported to the transaction user through callbacks and events, never thrown at it.
 */
import { SwitchboardError } from '../../lib/index.ts';

/** Which RFC 3261 timer ended a transaction without the expected message. */
export type TimeoutTimer = 'B' | 'F' | 'H';

/**
 * Timer B or F fired before a final response arrived (client), or Timer H fired before the ACK for a
 * non-2xx final response arrived (INVITE server). Section 8.1.3.1 treats the client case as a 408.
 */
export class SipTransactionTimeoutError extends SwitchboardError {
  readonly timer: TimeoutTimer;

  constructor(timer: TimeoutTimer, message: string) {
    super('SIP_TX_TIMEOUT', message);
    this.timer = timer;
  }
}

/**
 * The transport failed to send a message of the transaction (section 17.1.4 / 17.2.4). Section 8.1.3.1
 * treats the client case as a 503.
 */
export class SipTransactionTransportError extends SwitchboardError {
  constructor(message: string, cause: unknown) {
    super('SIP_TX_TRANSPORT', message, { cause });
  }
}

/** A message the transaction layer cannot process (no top Via, no CSeq ...). */
export class SipTransactionInvalidError extends SwitchboardError {
  constructor(message: string) {
    super('SIP_TX_INVALID', message);
  }
}

/** The transaction layer has been closed; no new client transaction can start. */
export class SipTransactionClosedError extends SwitchboardError {
  constructor() {
    super('SIP_TX_CLOSED', 'the transaction layer is closed');
  }
}
