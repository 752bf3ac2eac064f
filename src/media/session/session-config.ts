/**
 * What a media session is configured from: plain negotiated data (the outcome of RFC 3264 offer/answer,
 * produced by the SDP layer and handed over by the call core; media never parses SDP). Direction is our
 * own, as written in our description (RFC 3264 sections 5.1 and 6.1): 'sendonly' and 'sendrecv' send,
 * 'recvonly' and 'inactive' do not (the peer holding us is answered recvonly / inactive, so it stops
 * our sending). Payload types follow RFC 3550 section 5.1; telephone-event is RFC 4733 section 7.
 */
import { createCodec, type Codec } from '../codecs/index.ts';
import { errorMessage } from '../../lib/index.ts';
import type { RtpRemote } from '../rtp/index.ts';
import { MediaSessionError } from './session-error.ts';

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SessionCodecConfig {
  /** SDP encoding name (PCMU, PCMA, G722, L16, opus), any case. */
  name: string;
  /** Payload type we send with (the peer's numbering). */
  pt: number;
  /** Payload type the peer sends with (our numbering); `pt` when absent. */
  receivePt?: number;
  /** RTP clock rate (8000 for G.722, 48000 for opus). */
  clockRate: number;
  /** PCM rate of the codec (16000 for G.722). */
  sampleRate: number;
  /** Channels of the rtpmap (opus says 2); the session's PCM is always mono. */
  channels: number;
  /** The format's fmtp: "a=1;b=2" text or name/value pairs. */
  fmtp?: string | Readonly<Record<string, string>>;
}

export interface MediaSessionConfig {
  codec: SessionCodecConfig;
  /** telephone-event payload type we send with; absent when not negotiated. */
  telephoneEventPt?: number;
  /** telephone-event payload type the peer sends with; telephoneEventPt when absent. */
  telephoneEventReceivePt?: number;
  /** telephone-event clock rate; the codec's clock rate when absent. */
  telephoneEventClockRate?: number;
  /** Packetization to send with, ms (a=ptime). */
  ptime: number;
  direction: MediaDirection;
  /** Where to send RTP (and RTCP); absent: learnt from the first packets (symmetric RTP). */
  remote?: RtpRemote;
}

/** The configuration checked and flattened for the tick and packet paths. */
export interface ResolvedConfig {
  readonly source: MediaSessionConfig;
  readonly codecName: string;
  readonly sendPt: number;
  readonly receivePt: number;
  readonly clockRate: number;
  readonly sampleRate: number;
  readonly ptime: number;
  /** -1 when telephone-event is not negotiated. */
  readonly teSendPt: number;
  readonly teReceivePt: number;
  readonly teClockRate: number;
  readonly send: boolean;
  readonly receive: boolean;
  /** Identity of everything the codec instance depends on. */
  readonly codecKey: string;
}

const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function bad(message: string, cause?: unknown): never {
  throw new MediaSessionError('MEDIA_SESSION_CONFIG', message, cause === undefined ? undefined : { cause });
}

function checkPt(what: string, pt: unknown): number {
  if (typeof pt !== 'number' || !Number.isInteger(pt) || pt < 0 || pt > 127) bad(`${what} ${String(pt)} is not 0-127`);
  return pt;
}

/** Parses "a=1; b=2" fmtp text into name/value pairs (names lower-cased). */
export function parseFmtp(fmtp: string | Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> | undefined {
  if (fmtp === undefined || typeof fmtp !== 'string') return fmtp;
  const out: Record<string, string> = {};
  for (const part of fmtp.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq < 0) out[p.toLowerCase()] = '';
    else out[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
  }
  return out;
}

/** Validates a configuration; throws MEDIA_SESSION_CONFIG. */
export function resolveConfig(config: MediaSessionConfig): ResolvedConfig {
  if (typeof config !== 'object' || config === null) bad('configuration missing');
  const c = config.codec;
  if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || c.name === '') bad('codec missing');
  const sendPt = checkPt('codec payload type', c.pt);
  const receivePt = checkPt('codec receive payload type', c.receivePt ?? c.pt);
  if (!(Number.isInteger(c.clockRate) && c.clockRate > 0)) bad(`clock rate ${String(c.clockRate)} is unusable`);
  if (!(Number.isInteger(c.sampleRate) && c.sampleRate >= 8000)) bad(`sample rate ${String(c.sampleRate)} is unusable`);
  const ptime = config.ptime;
  if (!(typeof ptime === 'number' && ptime > 0 && ptime <= 120 && Number.isInteger((c.sampleRate * ptime) / 1000))) {
    bad(`ptime ${String(ptime)} ms is unusable at ${c.sampleRate} Hz`);
  }
  if (!DIRECTIONS.includes(config.direction)) bad(`direction "${String(config.direction)}" is not an SDP direction`);
  let teSendPt = -1;
  let teReceivePt = -1;
  if (config.telephoneEventPt !== undefined) {
    teSendPt = checkPt('telephone-event payload type', config.telephoneEventPt);
    teReceivePt = checkPt('telephone-event receive payload type', config.telephoneEventReceivePt ?? teSendPt);
    if (teReceivePt === receivePt) bad('telephone-event and audio share a payload type');
  }
  const teClockRate = config.telephoneEventClockRate ?? c.clockRate;
  if (!(Number.isInteger(teClockRate) && teClockRate > 0)) bad(`telephone-event clock rate ${String(teClockRate)} is unusable`);
  const r = config.remote;
  if (r !== undefined && (typeof r.address !== 'string' || !Number.isInteger(r.port) || r.port < 0 || r.port > 65535)) {
    bad('remote address or port is unusable');
  }
  const fmtp = parseFmtp(c.fmtp);
  const fmtpKey = fmtp ? Object.keys(fmtp).sort().map((k) => `${k}=${fmtp[k]}`).join(';') : '';
  const codecName = c.name.toLowerCase();
  return {
    source: config,
    codecName,
    sendPt,
    receivePt,
    clockRate: c.clockRate,
    sampleRate: c.sampleRate,
    ptime,
    teSendPt,
    teReceivePt,
    teClockRate,
    send: config.direction === 'sendrecv' || config.direction === 'sendonly',
    receive: config.direction === 'sendrecv' || config.direction === 'recvonly',
    codecKey: `${codecName}/${sendPt}/${c.clockRate}/${c.sampleRate}/${ptime}/${fmtpKey}`,
  };
}

/** A codec instance for a resolved configuration (mono PCM at the configured rate); throws MEDIA_SESSION_CONFIG. */
export function createSessionCodec(cfg: ResolvedConfig): Codec {
  const c = cfg.source.codec;
  if (cfg.codecName === 'l16' && c.channels !== 1) bad('L16 with more than one channel is not supported');
  let codec: Codec;
  try {
    codec = createCodec(c.name, {
      payloadType: cfg.sendPt,
      ptime: cfg.ptime,
      sampleRate: cfg.sampleRate,
      channels: 1,
      ...(parseFmtp(c.fmtp) ? { fmtp: parseFmtp(c.fmtp)! } : {}),
    });
  } catch (err) {
    bad(`codec ${c.name}: ${errorMessage(err)}`, err);
  }
  if (codec.clockRate !== cfg.clockRate) {
    codec.close();
    bad(`codec ${c.name} runs its RTP clock at ${codec.clockRate} Hz, not ${cfg.clockRate}`);
  }
  return codec;
}

/** True when packets of one leg can be relayed to the other without decoding (same format and ptime). */
export function relayCompatible(a: ResolvedConfig, b: ResolvedConfig): boolean {
  return a.codecName === b.codecName && a.clockRate === b.clockRate && a.sampleRate === b.sampleRate && a.ptime === b.ptime;
}
