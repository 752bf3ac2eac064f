/** The requestor events of the contract as a TypedEmitter map (a mapped type has the index signature it needs). */
import type { RequestorEvents } from '../contract.ts';

export type RequestorEventMap = { [K in keyof RequestorEvents]: RequestorEvents[K] };
