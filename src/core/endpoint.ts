/**
 * An endpoint adapts a protocol (SIP, WebRTC) to channels. It declares the target schemes it can
 * originate to, as FreeSWITCH endpoint modules own dial-string prefixes (`sofia/`, `user/`) and as
 * jambonz dial targets name a type (`sip:`, `user`): the switch picks the endpoint whose scheme is the
 * longest case-insensitive prefix of the target. Inbound calls need no registration here: the endpoint
 * asks `admit()`, creates the channel and routes it.
 */
import type { ChannelDriver } from './channel-driver.ts';
import type { ChannelMedia } from './channel-media.ts';
import type { Channel } from './channel.ts';
import type { Party } from './event-bus.ts';
import type { HangupCause } from './hangup-cause.ts';
import type { RecordCallResult, RemoteRecordingRequest } from './remote-recording.ts';

/** What an endpoint may set on the outbound leg it creates. */
export interface OutboundChannelInit {
  name?: string;
  callee?: Partial<Party>;
  /** Variables merged over those of the originate request. */
  variables?: Readonly<Record<string, string>>;
}

export interface EndpointOriginateRequest {
  /** The uuid the leg will have. */
  readonly uuid: string;
  readonly target: string;
  readonly callerId: Readonly<Party>;
  /** The number being called, when the caller names one apart from the target. */
  readonly destination?: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Custom headers for the outgoing request (jambonz dial headers, FreeSWITCH sip_h_*). */
  readonly headers: Readonly<Record<string, string>>;
  /** Accept early media (false: FreeSWITCH ignore_early_media). */
  readonly earlyMedia: boolean;
  readonly timeoutMs: number;
  /** Aborted when the switch gives up (timeout, caller cancel, shutdown): stop trying. */
  readonly signal: AbortSignal;
  /** The media of the leg this call is made for (a dial A-leg), so the endpoint can keep both near each other. */
  readonly parentMedia?: ChannelMedia;
  /** Credentials for a digest challenge of the far end (a carrier, a sip target with auth); never stored on the leg. */
  readonly auth?: { readonly username: string; readonly password: string };
  /**
   * Creates the outbound leg (once, before sending the request); throws CORE_ORIGINATE_STATE when called
   * twice or after the attempt ended. Report the far end's answers through the channel's remote*().
   */
  createChannel(driver: ChannelDriver, init?: OutboundChannelInit): Channel;
}

/**
 * How the attempt ended from the endpoint's point of view. ok: the leg was answered (the switch marks it
 * answered if the endpoint has not); otherwise the failure cause (and SIP status) of the attempt.
 */
export type EndpointOriginateOutcome = { ok: true } | { ok: false; cause: HangupCause; sipStatus?: number; reason?: string };

export interface Endpoint {
  /** Short name used in channel names and CDRs (`sip`, `webrtc`). */
  readonly name: string;
  /** Target prefixes this endpoint dials, e.g. `sip:`, `sips:`, `sofia/`, `user/`. */
  readonly schemes: readonly string[];
  originate(target: string, request: EndpointOriginateRequest): Promise<EndpointOriginateOutcome>;
  /**
   * Records a call at a remote recording server this endpoint can reach (`request.serverUri` has one of
   * its schemes; SIPREC for SIP, remote-recording.ts). Optional: endpoints without it cannot record.
   */
  recordCall?(channel: Channel, request: RemoteRecordingRequest): RecordCallResult;
}
