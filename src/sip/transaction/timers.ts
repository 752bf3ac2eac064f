/**
 * RFC 3261 section 17 timer values (Table 4 in Appendix A) plus RFC 6026 section 8.4 Timers L and M.
 *
 * One stack computes one `timersFor(T1, T2, T4)` and hands the result to every transaction, so a stack
 * configured with a different T1 (e.g. a low-latency LAN, section 17.1.1.1) changes every derived timer at
 * once. Values are milliseconds; the transport-dependent ones are functions of `reliable`.
 */

export interface TransactionTimers {
  /** RTT estimate (default 500 ms). */
  readonly T1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses (default 4 s). */
  readonly T2: number;
  /** Maximum duration a message remains in the network (default 5 s). */
  readonly T4: number;
  /** INVITE request retransmit interval, initial value (unreliable transports only). */
  readonly A: number;
  /** INVITE client transaction timeout: 64*T1. */
  readonly B: number;
  /** Wait time for response retransmits: at least 32 s unreliable, 0 reliable (17.1.1.2). */
  D(reliable: boolean): number;
  /** Non-INVITE request retransmit interval, initial value (unreliable transports only). */
  readonly E: number;
  /** Non-INVITE client transaction timeout: 64*T1. */
  readonly F: number;
  /** INVITE final response retransmit interval, initial value (unreliable transports only). */
  readonly G: number;
  /** Wait time for ACK receipt: 64*T1. */
  readonly H: number;
  /** Wait time for ACK retransmits: T4 unreliable, 0 reliable. */
  I(reliable: boolean): number;
  /** Wait time for non-INVITE request retransmits: 64*T1 unreliable, 0 reliable. */
  J(reliable: boolean): number;
  /** Wait time for response retransmits: T4 unreliable, 0 reliable. */
  K(reliable: boolean): number;
  /** RFC 6026: wait time for accepted INVITE request retransmits: 64*T1. */
  readonly L: number;
  /** RFC 6026: wait time for retransmitted or forked 2xx responses: 64*T1. */
  readonly M: number;
  /**
   * Section 17.2.1: how long an INVITE server transaction waits for the TU's first response before it
   * sends 100 (Trying) itself. 0 sends the 100 at once.
   */
  readonly trying: number;
}

/** Every transaction timer derived from T1, T2 and T4 (milliseconds). */
export function timersFor(T1 = 500, T2 = 4000, T4 = 5000): TransactionTimers {
  for (const [name, value] of [['T1', T1], ['T2', T2], ['T4', T4]] as const) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  const sixtyFour = 64 * T1;
  return Object.freeze({
    T1,
    T2,
    T4,
    A: T1,
    B: sixtyFour,
    // "at least 32 seconds": 64*T1 is 32 s at the default T1; never below 32 s when T1 is lowered.
    D: (reliable: boolean) => (reliable ? 0 : Math.max(32_000, sixtyFour)),
    E: T1,
    F: sixtyFour,
    G: T1,
    H: sixtyFour,
    I: (reliable: boolean) => (reliable ? 0 : T4),
    J: (reliable: boolean) => (reliable ? 0 : sixtyFour),
    K: (reliable: boolean) => (reliable ? 0 : T4),
    L: sixtyFour,
    M: sixtyFour,
    trying: 200,
  });
}
