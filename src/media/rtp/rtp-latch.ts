/**
 * Where to send RTP: symmetric RTP (RFC 4961) with latching for peers behind NAT. The destination starts
 * as the address the SDP gave. A packet from that address confirms it (latched). Packets from another
 * source are dropped until `after` consecutive ones came from it with the expected SSRC (the SSRC
 * announced or already followed, else the one the source started with); then the destination moves
 * there. When the SDP address is unusable (absent, unspecified 0.0.0.0 / ::, port 0) the first packet
 * latches at once. With latching off the SDP address is final; media from any source is taken (as with
 * FreeSWITCH's auto-adjust disabled). A source port 0 (a packet nobody can be answered at) is taken but
 * never latched to.
 */
import { isIP } from 'node:net';

/** 'drop': not from the destination; 'deliver': from it; 'latched': from it, and the destination just changed or was confirmed. */
export type LatchVerdict = 'drop' | 'deliver' | 'latched';

/** True when an SDP connection address and port can be sent to (RFC 4566 c= with 0.0.0.0 means hold/unknown). */
export function usableRemote(address: string | undefined, port: number | undefined): boolean {
  if (address === undefined || port === undefined || port <= 0 || port > 65535) return false;
  if (isIP(address) === 0) return false;
  return address !== '0.0.0.0' && address !== '::' && address !== '::0';
}

/** A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the SDP names them a.b.c.d. */
function sameAddress(fromSocket: string, remote: string | undefined): boolean {
  if (fromSocket === remote) return true;
  return remote !== undefined && fromSocket.length === remote.length + 7 && fromSocket.startsWith('::ffff:') && fromSocket.endsWith(remote);
}

export class RtpLatch {
  readonly enabled: boolean;
  readonly after: number;
  /** Current destination; undefined when unknown. */
  address: string | undefined;
  port = 0;
  /** True once a packet came from the destination (it is then final unless a new source takes over). */
  latched = false;
  /** Times the destination moved to a new source. */
  relatches = 0;
  #candAddress = '';
  #candPort = 0;
  #candSsrc = 0;
  #candCount = 0;

  constructor(enabled: boolean, after = 2) {
    this.enabled = enabled;
    this.after = Math.max(1, after);
  }

  /** A (new) remote from signalling; resets latching. */
  setRemote(address: string | undefined, port: number | undefined): void {
    if (usableRemote(address, port)) {
      this.address = address;
      this.port = port!;
    } else {
      this.address = undefined;
      this.port = 0;
    }
    this.latched = false;
    this.#candCount = 0;
  }

  /** Decides about one packet from `address:port` carrying `ssrc`. */
  onPacket(address: string, port: number, ssrc: number, expectedSsrc: number | undefined): LatchVerdict {
    // Without latching, or from a source that cannot be answered (port 0), media is taken but never
    // moves where we send.
    if (!this.enabled || port <= 0) return 'deliver';
    const fromDest = port === this.port && sameAddress(address, this.address);
    if (fromDest) {
      this.#candCount = 0;
      if (this.latched) return 'deliver';
      this.latched = true;
      return 'latched';
    }
    if (this.address === undefined) {
      this.#moveTo(address, port);
      return 'latched';
    }
    if (expectedSsrc !== undefined && ssrc !== expectedSsrc) {
      this.#candCount = 0;
      return 'drop';
    }
    if (this.#candCount > 0 && port === this.#candPort && ssrc === this.#candSsrc && address === this.#candAddress) {
      this.#candCount++;
    } else {
      this.#candAddress = address;
      this.#candPort = port;
      this.#candSsrc = ssrc;
      this.#candCount = 1;
    }
    if (this.#candCount < this.after) return 'drop';
    this.#moveTo(address, port);
    return 'latched';
  }

  #moveTo(address: string, port: number): void {
    if (this.address !== undefined) this.relatches++;
    this.address = address;
    this.port = port;
    this.latched = true;
    this.#candCount = 0;
  }
}
