/**
 * Building an offer from local capabilities (RFC 3264 section 5) and re-offers within a session
 * (section 8): every configured codec on its static payload type (RFC 3551 section 6) or a dynamic one
 * from 96-127, telephone-event (RFC 4733 section 7.1) at 101 for the first codec's clock rate and on
 * further dynamic types for the other rates, ptime and direction. A re-offer keeps the m= lines of our
 * previous description in number and order (8.1, declined lines stay at port 0), keeps every payload
 * type number it used for the same format (8.3.2), lists the codec in use first, and carries hold
 * (sendonly, or inactive when the peer holds us) or unhold (sendrecv) per section 8.4.
 */
import { SdpError } from './sdp-error.ts';
import { CODECS, type CodecName, DYNAMIC_PT_MAX, DYNAMIC_PT_MIN, TELEPHONE_EVENT, formatKey } from './codec-catalog.ts';
import { offerDirection } from './direction.ts';
import { type LocalMediaConfig, type ResolvedLocalMedia, resolveLocalMedia, supportsProtocol } from './local-media.ts';
import {
  audioSection, bundleGroups, codecPayload, localMediaTransport, localSession, rejectedSection,
  telephoneEventPayload,
} from './media-section.ts';
import type { NegotiatedMedia } from './negotiated-media.ts';
import type { RtpPayload, SdpMedia, SdpOrigin, SdpSession } from './sdp-model.ts';

export interface OfferContext {
  /** Our o= line; the caller decides the version (see stampVersion). */
  readonly origin: SdpOrigin;
  /** We hold the call. */
  readonly hold?: boolean;
  /** The peer holds the call (its last description does not receive): holding then means inactive. */
  readonly peerHolds?: boolean;
  /** Our last description in this session (offer or answer): m= layout and payload numbers to keep. */
  readonly previous?: SdpSession;
  /** What is negotiated now: its codec is offered first and its ptime kept. */
  readonly current?: NegotiatedMedia;
}

/**
 * Payload type numbering that keeps earlier assignments and never reuses a number for another format.
 * One number can be held back (the configured telephone-event type) for the first format that asks.
 */
class PayloadNumbering {
  private readonly used = new Set<number>();
  private readonly known = new Map<string, number>();
  private held: number | undefined;

  constructor(previous: readonly RtpPayload[]) {
    for (const p of previous) {
      this.used.add(p.pt);
      const key = formatKey(p);
      if (key !== undefined && !this.known.has(key)) this.known.set(key, p.pt);
    }
  }

  hold(pt: number): void {
    if (this.used.has(pt)) return;
    this.used.add(pt);
    this.held = pt;
  }

  assign(key: string, takeHeld: boolean): number {
    const earlier = this.known.get(key);
    if (earlier !== undefined) return earlier;
    let pt = takeHeld ? this.held : undefined;
    if (pt !== undefined) this.held = undefined;
    for (let n = DYNAMIC_PT_MIN; pt === undefined && n <= DYNAMIC_PT_MAX; n++) if (!this.used.has(n)) pt = n;
    if (pt === undefined) throw new SdpError('SDP_CONFIG', 'no dynamic payload type (96-127) is left for the offer');
    this.used.add(pt);
    this.known.set(key, pt);
    return pt;
  }
}

interface OfferedCodec {
  readonly name: CodecName;
  readonly clockRate: number;
}

function offeredCodecs(cfg: ResolvedLocalMedia, current: NegotiatedMedia | undefined): OfferedCodec[] {
  const out: OfferedCodec[] = [];
  const add = (c: OfferedCodec): void => {
    if (!out.some((o) => o.name === c.name && o.clockRate === c.clockRate)) out.push(c);
  };
  if (current) add({ name: current.codec.name, clockRate: current.codec.clockRate });
  for (const pref of cfg.prefs) add({ name: pref.name, clockRate: pref.clockRate ?? CODECS[pref.name].defaultClockRate });
  return out;
}

function offerPayloads(cfg: ResolvedLocalMedia, previous: SdpMedia | undefined, current: NegotiatedMedia | undefined): RtpPayload[] {
  const numbering = new PayloadNumbering(previous?.payloads ?? []);
  const codecs = offeredCodecs(cfg, current);
  const te = cfg.telephoneEvent;
  const rates = [...new Set(codecs.map((c) => c.clockRate))];
  if (te) numbering.hold(te.pt);
  const payloads: RtpPayload[] = [];
  for (const codec of codecs) {
    const def = CODECS[codec.name];
    const key = formatKey({ encoding: def.name, clockRate: codec.clockRate, channels: def.channels }) ?? def.name;
    const fixed = def.staticPt !== undefined && codec.clockRate === def.defaultClockRate ? def.staticPt : undefined;
    const pt = fixed ?? numbering.assign(key, false);
    payloads.push(codecPayload(codec.name, pt, codec.clockRate, cfg.fmtp[codec.name]));
  }
  if (te) {
    for (const rate of rates) {
      payloads.push(telephoneEventPayload(numbering.assign(`${TELEPHONE_EVENT}/${rate}/1`, true), rate, te.events));
    }
  }
  return payloads;
}

function audioSlot(previous: SdpSession | undefined): number {
  if (!previous) return -1;
  const active = previous.media.findIndex((m) => m.type.toLowerCase() === 'audio' && m.port !== 0);
  return active >= 0 ? active : previous.media.findIndex((m) => m.type.toLowerCase() === 'audio');
}

/** Builds an offer (initial, late-offer or re-offer). Throws only SdpError SDP_CONFIG. */
export function buildOffer(local: LocalMediaConfig, context: OfferContext): SdpSession {
  const cfg = resolveLocalMedia(local);
  const previous = context.previous;
  const slot = audioSlot(previous);
  const previousAudio = slot >= 0 ? previous?.media[slot] : undefined;
  const protocol =
    previousAudio && supportsProtocol(cfg, previousAudio.protocol) ? previousAudio.protocol : cfg.protocols[0] ?? 'RTP/AVP';
  const mid = previousAudio ? previousAudio.transport.mid : cfg.transport.mid;
  const currentPtime = context.current?.ptime;
  const audio = audioSection({
    protocol,
    port: cfg.port,
    payloads: offerPayloads(cfg, previousAudio?.port === 0 ? undefined : previousAudio, context.current),
    ptime: currentPtime !== undefined && cfg.ptimes.includes(currentPtime) ? currentPtime : cfg.ptime,
    direction: offerDirection(context.hold ?? false, context.peerHolds ?? false, cfg.direction),
    rtcpMux: cfg.rtcpMux,
    transport: localMediaTransport(cfg.transport, mid),
  });
  const media = previous ? previous.media.map((m, i) => (i === slot ? audio : rejectedSection(m))) : [];
  if (slot < 0) media.push(audio);
  const groups = mid === undefined ? [] : previous ? bundleGroups(previous.groups, [mid]) : [`BUNDLE ${mid}`];
  return localSession({
    origin: context.origin,
    name: cfg.sessionName,
    connection: cfg.connection,
    groups,
    iceLite: cfg.transport.iceLite,
    media,
  });
}
