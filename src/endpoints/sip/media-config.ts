/**
 * From the outcome of SDP offer/answer (RFC 3264 sections 6.1 and 7) to the plain configuration a media
 * session runs on: the codec to send with and both payload numberings, telephone-event (RFC 4733
 * section 7), ptime, our direction and where to send RTP and RTCP (RFC 3605). Also our local media
 * capabilities for the SDP layer, and the configuration a leg starts with before anything is negotiated.
 */
import type { MediaSessionConfig } from '../../media/index.ts';
import type { LocalMediaConfig, NegotiatedMedia } from '../../sdp/index.ts';

/** Codecs offered and accepted by default, most preferred first. */
export const DEFAULT_SIP_CODECS: readonly string[] = ['PCMU', 'PCMA', 'G722'];

/** The telephone-event payload type we offer (RFC 4733 uses a dynamic one; 101 is customary). */
export const TELEPHONE_EVENT_PT = 101;

export function sessionConfigOf(media: NegotiatedMedia): MediaSessionConfig {
  const c = media.codec;
  const config: MediaSessionConfig = {
    codec: {
      name: c.name,
      pt: c.pt,
      receivePt: c.receivePt,
      clockRate: c.clockRate,
      sampleRate: c.sampleRate,
      channels: c.channels,
      ...(c.fmtp === undefined ? {} : { fmtp: c.fmtp }),
    },
    ptime: media.ptime,
    direction: media.direction,
  };
  const te = media.telephoneEvent;
  if (te) {
    config.telephoneEventPt = te.pt;
    config.telephoneEventReceivePt = te.receivePt;
    config.telephoneEventClockRate = te.clockRate;
  }
  const r = media.remote;
  if (r.port > 0 && r.address !== '0.0.0.0' && r.address !== '::') {
    config.remote = { address: r.address, port: r.port, rtcpPort: media.rtcpMux ? r.port : r.rtcpPort };
  }
  return config;
}

/**
 * What a leg runs on until its first offer/answer completes (an outbound leg waiting for the answer, an
 * inbound late offer): PCMU with telephone-event, no remote yet (symmetric RTP learns it).
 */
export function provisionalConfig(): MediaSessionConfig {
  return {
    codec: { name: 'PCMU', pt: 0, clockRate: 8000, sampleRate: 8000, channels: 1 },
    telephoneEventPt: TELEPHONE_EVENT_PT,
    telephoneEventClockRate: 8000,
    ptime: 20,
    direction: 'sendrecv',
  };
}

export function localMediaOf(address: string, port: number, codecs: readonly string[]): LocalMediaConfig {
  return {
    address,
    port,
    codecs: codecs.length > 0 ? codecs : DEFAULT_SIP_CODECS,
    telephoneEvent: { pt: TELEPHONE_EVENT_PT },
    sessionName: 'Switchboard',
    username: 'switchboard',
  };
}
