/**
 * The SDP of a SIPREC recording session (RFC 7866 section 8.1, RFC 3264): our offer has two audio m=
 * lines, both `a=sendonly` (the recording client only sends), labelled with `a=label` (RFC 4574) 1 (what
 * the caller says) and 2 (what the caller hears: the other party, prompts), each with our codecs; pausing
 * offers the same streams `a=inactive` (RFC 7866 section 8.1.3 / the original pauses that way). The
 * answer gives, per m= line in order (RFC 3264 section 6), where to send and the codec to send with; a
 * stream the server rejected (port 0) or does not want to receive (sendonly/inactive answer) is not sent.
 * Pure: parsing goes through the SDP room's parser.
 */
import { isIP } from 'node:net';
import type { MediaSessionConfig } from '../../../media/index.ts';
import { audioStreams, codecByName, codecOfPayload, parseSdp, type MediaView } from '../../../sdp/index.ts';

export interface OfferInit {
  address: string;
  /** Our RTP port of each stream. */
  ports: [number, number];
  labels: [string, string];
  /** Codec names in preference order (PCMU, PCMA, G722 ...); unknown or dynamic-only ones are skipped. */
  codecs: readonly string[];
  /** o= session id and version (RFC 8866 section 5.2; the version grows with each re-offer). */
  sessionId: string;
  version: number;
  direction: 'sendonly' | 'inactive';
  ptime?: number;
}

/** The static payload types of the codecs we offer (G.711 and G.722: the codecs every recorder takes). */
function offeredFormats(codecs: readonly string[]): { pt: number; name: string; clockRate: number }[] {
  const out: { pt: number; name: string; clockRate: number }[] = [];
  for (const name of codecs) {
    const def = codecByName(name);
    if (!def || def.staticPt === undefined || out.some((f) => f.pt === def.staticPt)) continue;
    out.push({ pt: def.staticPt, name: def.name, clockRate: def.defaultClockRate });
  }
  if (out.length === 0) out.push({ pt: 0, name: 'PCMU', clockRate: 8000 });
  return out;
}

export function buildOffer(o: OfferInit): string {
  const family = isIP(o.address) === 6 ? 'IP6' : 'IP4';
  const formats = offeredFormats(o.codecs);
  const lines = [
    'v=0',
    `o=switchboard ${o.sessionId} ${o.version} IN ${family} ${o.address}`,
    's=Switchboard recording',
    `c=IN ${family} ${o.address}`,
    't=0 0',
  ];
  o.ports.forEach((port, i) => {
    lines.push(`m=audio ${port} RTP/AVP ${formats.map((f) => f.pt).join(' ')}`);
    for (const f of formats) lines.push(`a=rtpmap:${f.pt} ${f.name}/${f.clockRate}`);
    lines.push(`a=ptime:${o.ptime ?? 20}`, `a=label:${o.labels[i]}`, `a=${o.direction}`);
  });
  return lines.join('\r\n') + '\r\n';
}

/** What the answer says of one stream: where and how to send it, or that it is not sent. */
export type AnsweredStream = { send: true; config: MediaSessionConfig } | { send: false; why: string };

export type AnswerOutcome = { ok: true; streams: [AnsweredStream, AnsweredStream] } | { ok: false; reason: string };

function streamOf(view: MediaView | undefined, offered: readonly { pt: number; name: string }[], ptime: number): AnsweredStream {
  if (!view) return { send: false, why: 'no m= line in the answer' };
  if (view.port === 0) return { send: false, why: 'rejected (port 0)' };
  const c = view.connection;
  if (!c || c.address === '0.0.0.0' || c.address === '::') return { send: false, why: 'no address' };
  const recv = view.effectiveDirection === 'recvonly' || view.effectiveDirection === 'sendrecv';
  for (const p of view.payloads) {
    const def = codecOfPayload(p);
    if (!def || !offered.some((f) => f.name === def.name)) continue;
    const clockRate = p.clockRate ?? def.defaultClockRate;
    return {
      send: true,
      config: {
        codec: { name: def.name, pt: p.pt, clockRate, sampleRate: def.sampleRate(clockRate), channels: def.channels },
        ptime: view.ptime ?? ptime,
        direction: recv ? 'sendonly' : 'inactive',
        remote: { address: c.address, port: view.port, rtcpPort: view.rtcpMux ? view.port : view.rtcp?.port ?? view.port + 1 },
      },
    };
  }
  return { send: false, why: 'no codec in common' };
}

/** Reads the recording server's answer to our offer; not ok when it is unusable or sends nothing. */
export function readAnswer(sdp: string, codecs: readonly string[], ptime = 20): AnswerOutcome {
  let streams: MediaView[];
  try {
    streams = audioStreams(parseSdp(sdp));
  } catch (err) {
    return { ok: false, reason: `malformed SDP answer: ${err instanceof Error ? err.message : String(err)}` };
  }
  const offered = offeredFormats(codecs);
  const out: [AnsweredStream, AnsweredStream] = [streamOf(streams[0], offered, ptime), streamOf(streams[1], offered, ptime)];
  if (!out[0].send && !out[1].send) return { ok: false, reason: `no usable stream in the answer (${out[0].why}; ${out[1].why})` };
  return { ok: true, streams: out };
}
