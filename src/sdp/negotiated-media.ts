/**
 * The outcome of an offer/answer exchange as the call core and media engine need it (RFC 3264 sections
 * 6.1 and 7): the codec to send with and its numbering on both sides, telephone-event (RFC 4733), where
 * to send RTP and RTCP (RFC 3605, RFC 5761), our direction, the packetization and hold state.
 */
import type { CodecName } from './codec-catalog.ts';
import type { AddressFamily, SdpDirection, SdpSession, SdpTransportAttributes } from './sdp-model.ts';

export interface NegotiatedCodec {
  readonly name: CodecName;
  /** Payload type we send with: the peer's numbering. */
  readonly pt: number;
  /** Payload type the peer sends to us with: our numbering (equal to pt when we answered). */
  readonly receivePt: number;
  /** RTP timestamp clock rate (8000 for G.722). */
  readonly clockRate: number;
  /** Audio sampling rate (16000 for G.722). */
  readonly sampleRate: number;
  readonly channels: number;
  /** The peer's fmtp for the codec: what it wants to receive (e.g. opus useinbandfec=1). */
  readonly fmtp: string | undefined;
}

export interface NegotiatedTelephoneEvent {
  readonly pt: number;
  readonly receivePt: number;
  readonly clockRate: number;
  /** The peer's fmtp: the events it accepts (RFC 4733 section 7.1.1; 0-15 when absent). */
  readonly fmtp: string | undefined;
}

export interface RemoteMediaAddress {
  readonly family: AddressFamily;
  readonly address: string;
  readonly port: number;
  readonly rtcpAddress: string;
  readonly rtcpPort: number;
}

export interface NegotiatedMedia {
  /** Index of the audio m= line in the session. */
  readonly index: number;
  readonly protocol: string;
  /** The codec to send with (the first acceptable one in the peer's description). */
  readonly codec: NegotiatedCodec;
  /** Every acceptable codec in the peer's description, in its order; we may send any of them. */
  readonly codecs: readonly NegotiatedCodec[];
  readonly telephoneEvent: NegotiatedTelephoneEvent | undefined;
  readonly remote: RemoteMediaAddress;
  readonly rtcpMux: boolean;
  /** Our direction: whether we send and receive. */
  readonly direction: SdpDirection;
  /** Packetization to send with, in ms. */
  readonly ptime: number;
  /** We hold the call (our description says sendonly or inactive). */
  readonly localHold: boolean;
  /** The peer holds the call (sendonly, inactive or c=0.0.0.0). */
  readonly remoteHold: boolean;
  /** The peer's ICE, DTLS and SSRC attributes for this stream, verbatim. */
  readonly remoteTransport: SdpTransportAttributes;
}

/** RFC 3261 section 20.43 warning codes for a 488 Not Acceptable Here. */
export interface SdpWarning {
  readonly code: 302 | 304 | 305;
  readonly text: string;
}

/** Nothing in the offer is acceptable: answer 488 Not Acceptable Here with this Warning. */
export interface NotAcceptable {
  readonly ok: false;
  readonly status: 488;
  readonly warning: SdpWarning;
  readonly reason: string;
}

export type AnswerOutcome =
  | { readonly ok: true; readonly answer: SdpSession; readonly media: NegotiatedMedia }
  | NotAcceptable;

/** The peer's answer declined our audio stream (port 0) or kept no codec we can send. */
export interface AnswerRejected {
  readonly ok: false;
  readonly reason: string;
}

export type AnswerResult = { readonly ok: true; readonly media: NegotiatedMedia } | AnswerRejected;
