/**
 * A SIPREC recording session (RFC 7866) opened by this server as the Session Recording Client for one
 * call leg, to a Session Recording Server:
 *
 * - INVITE (RFC 7866 section 6.1.1: `Require: siprec`, the `+sip.src` feature tag on the Contact) whose
 *   body is multipart/mixed (RFC 5621): the SDP offer with two `a=sendonly` streams labelled 1 and 2,
 *   and the rs-metadata (RFC 7865) naming the call (its Call-ID), its two participants and which stream
 *   each sends and receives; the application's headers are added;
 * - on the 2xx, the answer says where each stream goes and in which codec; two send-only RTP sessions
 *   in the leg's media thread, fed by forks of the leg (siprec-streams.ts), send both parties' audio;
 * - pause / resume: a re-INVITE offering the streams `a=inactive` / `a=sendonly` again (as the
 *   original's client does; nothing is sent while paused);
 * - stop, the end of the call: BYE (CANCEL while the INVITE is pending); the server's BYE ends it too;
 * - a refused INVITE, no final answer within the timeout, or an unusable answer end it as failed, with
 *   a stable code; the call itself is never touched.
 */
import { randomUUID } from 'node:crypto';
import { errorMessage, type Logger } from '../../../lib/index.ts';
import {
  formatUri, parseMultipart, parseUri, type Destination, type Dialog, type SessionBody, type SipStack, type SipUri, type TransportName,
} from '../../../sip/index.ts';
import type {
  Channel, RecordCallResult, RecordingResult, RemoteRecording, RemoteRecordingEnd, RemoteRecordingRequest, RemoteRecordingState,
} from '../../../core/index.ts';
import type { LegMediaSettings } from '../sip-leg.ts';
import { SDP_TYPE, buildSiprecBody } from './siprec-body.ts';
import { buildMetadata, metadataId } from './siprec-metadata.ts';
import { buildOffer, readAnswer } from './siprec-sdp.ts';
import { isFinal, nextState, type SiprecEvent } from './siprec-state.ts';
import { SiprecStreams } from './siprec-streams.ts';

export type SiprecErrorCode =
  /** The recording server's URI is not a usable sip:/sips: URI. */
  | 'SIPREC_BAD_URI'
  /** The leg has no RTP media of this server, or no RTP port was free for the recording streams. */
  | 'SIPREC_NO_MEDIA'
  /** The recording server answered the INVITE (or a re-INVITE) with a failure. */
  | 'SIPREC_REFUSED'
  /** The recording server sent no final answer in time (or could not be reached). */
  | 'SIPREC_TIMEOUT'
  /** The 2xx carried no usable SDP answer (no stream, no codec in common). */
  | 'SIPREC_ANSWER'
  /** pause / resume in a state where they do not apply. */
  | 'SIPREC_STATE';

export interface SiprecDeps {
  sip: SipStack;
  media: LegMediaSettings;
  log: Logger;
  /** Host part of our From URI. */
  fromHost: string;
}

/** How long the server may take to answer the INVITE by default. */
export const DEFAULT_SIPREC_TIMEOUT_MS = 10_000;

const LABELS: [string, string] = ['1', '2'];
const TRANSPORTS: readonly TransportName[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

/** Where a URI's request goes by default (for the Contact of our INVITE). */
function hintOf(uri: SipUri): Destination {
  const param = uri.params['transport']?.toLowerCase();
  const transport = TRANSPORTS.find((t) => t === param) ?? (uri.scheme === 'sips' ? 'tls' : 'udp');
  const address = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
  return { transport, address, port: uri.port ?? (transport === 'tls' || transport === 'wss' ? 5061 : 5060) };
}

/** The SDP of a 2xx: a plain application/sdp body, or the SDP part of a multipart one. */
function sdpOf(body: SessionBody | undefined): string | undefined {
  if (!body) return undefined;
  const type = body.contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (type === SDP_TYPE) return body.body.toString('utf8');
  if (!type.startsWith('multipart/')) return undefined;
  try {
    const part = parseMultipart(body.body, body.contentType).find((p) => (p.headers.get('content-type') ?? '').toLowerCase().startsWith(SDP_TYPE));
    return part?.body.toString('utf8');
  } catch {
    return undefined;
  }
}

const failed = (code: SiprecErrorCode, reason: string, sipStatus?: number): RecordingResult =>
  (sipStatus === undefined ? { ok: false, code, reason } : { ok: false, code, reason, sipStatus });

/** Starts a recording session for `channel`; a request that cannot even be tried is refused at once. */
export function startSiprec(channel: Channel, request: RemoteRecordingRequest, deps: SiprecDeps): RecordCallResult {
  let uri: SipUri;
  try {
    uri = parseUri(request.serverUri);
    if (uri.scheme !== 'sip' && uri.scheme !== 'sips') throw new Error(`scheme ${uri.scheme}`);
  } catch (err) {
    return { ok: false, code: 'SIPREC_BAD_URI', reason: `unusable recording server URI ${request.serverUri}: ${errorMessage(err)}` };
  }
  if (channel.ended) return { ok: false, code: 'SIPREC_NO_MEDIA', reason: 'the call has ended' };
  const log = channel.log.child({ siprec: request.serverUri });
  let streams: SiprecStreams;
  try {
    streams = SiprecStreams.open(channel.media, deps.media, log);
  } catch (err) {
    return { ok: false, code: 'SIPREC_NO_MEDIA', reason: `no media for the recording streams: ${errorMessage(err)}` };
  }
  const recording = new SiprecRecording(channel, uri, request, streams, deps, log);
  recording.start();
  return { ok: true, recording };
}

export class SiprecRecording implements RemoteRecording {
  readonly id = randomUUID();
  readonly started: Promise<RecordingResult>;
  readonly ended: Promise<RemoteRecordingEnd>;
  readonly #channel: Channel;
  readonly #uri: SipUri;
  readonly #request: RemoteRecordingRequest;
  readonly #streams: SiprecStreams;
  readonly #deps: SiprecDeps;
  readonly #log: Logger;
  readonly #sessionId = String(Date.now());
  #version = 1;
  #state: RemoteRecordingState = 'starting';
  #dialog: Dialog | undefined;
  #cancel: (() => void) | undefined;
  #busy: Promise<unknown> = Promise.resolve();
  #offs: (() => void)[] = [];
  #resolveStarted!: (r: RecordingResult) => void;
  #resolveEnded!: (e: RemoteRecordingEnd) => void;

  constructor(channel: Channel, uri: SipUri, request: RemoteRecordingRequest, streams: SiprecStreams, deps: SiprecDeps, log: Logger) {
    this.#channel = channel;
    this.#uri = uri;
    this.#request = request;
    this.#streams = streams;
    this.#deps = deps;
    this.#log = log;
    this.started = new Promise((r) => { this.#resolveStarted = r; });
    this.ended = new Promise((r) => { this.#resolveEnded = r; });
  }

  get state(): RemoteRecordingState {
    return this.#state;
  }

  /** Sends the INVITE (once, from startSiprec). */
  start(): void {
    this.#offs.push(this.#channel.on('hangup', () => void this.#finish('hangup', { reason: 'hangup' })));
    const { body, contentType } = buildSiprecBody(this.#offer('sendonly'), this.#metadata());
    const contact = this.#deps.sip.contactFor(hintOf(this.#uri));
    let invite;
    try {
      invite = this.#deps.sip.invite({
        uri: this.#uri,
        from: `<sip:switchboard@${this.#deps.fromHost}>`,
        body,
        contentType,
        sessionExpires: 0,
        timeout: this.#request.timeoutMs ?? DEFAULT_SIPREC_TIMEOUT_MS,
        headers: {
          ...this.#request.headers,
          Require: 'siprec',
          Contact: `<${formatUri(contact)}>;+sip.src`,
        },
      });
    } catch (err) {
      this.#fail('SIPREC_BAD_URI', `INVITE not sent: ${errorMessage(err)}`);
      return;
    }
    this.#cancel = () => invite.cancel();
    this.#log.info({ callId: invite.callId }, 'SIPREC INVITE sent');
    void invite.result.then((r) => {
      this.#cancel = undefined;
      if (!r.ok) {
        const timeout = r.cause === 'no-answer' || r.cause === 'timeout' || r.cause === 'transport';
        this.#fail(timeout ? 'SIPREC_TIMEOUT' : 'SIPREC_REFUSED', `recording server: ${r.status} ${r.reason} (${r.cause})`, r.status);
        return;
      }
      this.#established(r.dialog, sdpOf(r.response.body.length > 0
        ? { body: r.response.body, contentType: r.response.headers.get('content-type') ?? SDP_TYPE } : undefined));
    });
  }

  pause(): Promise<RecordingResult> {
    return this.#serial(() => this.#modify('paused'));
  }

  resume(): Promise<RecordingResult> {
    return this.#serial(() => this.#modify('resumed'));
  }

  async stop(): Promise<void> {
    await this.#finish('stop', { reason: 'stopped' });
  }

  #established(dialog: Dialog, sdp: string | undefined): void {
    this.#dialog = dialog;
    this.#offs.push(dialog.on('terminated', (t) => {
      if (t.remote) void this.#finish('remote-bye', { reason: 'remote' });
    }));
    if (isFinal(this.#state)) {
      void this.#bye();
      return;
    }
    const answer = sdp === undefined ? undefined : readAnswer(sdp, this.#deps.media.codecs);
    if (!answer?.ok) {
      const why = answer ? answer.reason : 'no SDP answer in the 2xx';
      void this.#bye();
      this.#fail('SIPREC_ANSWER', why);
      return;
    }
    this.#streams.apply([answer.streams[0].send ? answer.streams[0].config : undefined, answer.streams[1].send ? answer.streams[1].config : undefined]);
    this.#to('answered');
    this.#log.info({ streams: answer.streams.map((s) => (s.send ? `${s.config.codec.name}@${s.config.remote?.port}` : s.why)) }, 'SIPREC recording started');
    this.#resolveStarted({ ok: true });
  }

  async #modify(event: 'paused' | 'resumed'): Promise<RecordingResult> {
    const dialog = this.#dialog;
    const want = event === 'paused' ? 'paused' : 'recording';
    if (this.#state === want) return { ok: true };
    if (!dialog || nextState(this.#state, event) === undefined) {
      return failed('SIPREC_STATE', `cannot ${event === 'paused' ? 'pause' : 'resume'} a recording that is ${this.#state}`);
    }
    const offer = this.#offer(event === 'paused' ? 'inactive' : 'sendonly');
    let r;
    try {
      r = await dialog.reinvite({ body: offer, contentType: SDP_TYPE });
    } catch (err) {
      return failed('SIPREC_REFUSED', `re-INVITE not sent: ${errorMessage(err)}`);
    }
    if (!r.ok) return failed('SIPREC_REFUSED', `recording server: ${r.status} ${r.reason}`, r.status);
    if (isFinal(this.#state)) return failed('SIPREC_STATE', `the recording is ${this.#state}`);
    const answer = readAnswer(sdpOf(r.answer) ?? '', this.#deps.media.codecs);
    const configs = answer.ok
      ? answer.streams.map((s) => (s.send ? { ...s.config, ...(event === 'paused' ? { direction: 'inactive' as const } : {}) } : undefined))
      : undefined;
    if (configs) this.#streams.apply([configs[0], configs[1]]);
    else this.#log.info({ reason: answer.ok ? '' : answer.reason }, 'unusable answer to the SIPREC re-INVITE: streams unchanged');
    this.#to(event);
    this.#log.info(`SIPREC recording ${event}`);
    return { ok: true };
  }

  /** Runs pause/resume one at a time (a re-INVITE while one is pending would be answered 491). */
  #serial(op: () => Promise<RecordingResult>): Promise<RecordingResult> {
    const run = this.#busy.then(op, op);
    this.#busy = run.catch(() => undefined);
    return run;
  }

  #offer(direction: 'sendonly' | 'inactive'): string {
    return buildOffer({
      address: this.#deps.media.advertisedAddress, ports: this.#streams.ports, labels: LABELS, codecs: this.#deps.media.codecs,
      sessionId: this.#sessionId, version: this.#version++, direction,
    });
  }

  #metadata(): string {
    const ch = this.#channel;
    const id = (): string => metadataId(randomUUID());
    const partyOf = (p: { number: string; name: string; uri?: string }, given: RemoteRecordingRequest['caller']): { aor: string; name?: string } => {
      if (given) return given;
      const aor = p.uri ?? `sip:${p.number || 'anonymous'}@${this.#deps.fromHost}`;
      const name = p.name || p.number;
      return name ? { aor, name } : { aor };
    };
    return buildMetadata({
      ids: { group: id(), session: id(), caller: id(), callee: id(), stream1: id(), stream2: id() },
      callId: this.#request.callId ?? ch.getVariable('sip_call_id') ?? ch.uuid,
      caller: partyOf(ch.caller, this.#request.caller),
      callee: partyOf(ch.callee, this.#request.callee),
      labels: LABELS,
      time: new Date(),
      ...(this.#request.extensionData ? { extensionData: this.#request.extensionData } : {}),
    });
  }

  #to(event: SiprecEvent): boolean {
    const next = nextState(this.#state, event);
    if (next === undefined) return false;
    this.#state = next;
    return true;
  }

  #fail(code: SiprecErrorCode, reason: string, sipStatus?: number): void {
    if (!this.#to('failed')) return;
    this.#log.warn({ code, sipStatus, err: reason }, 'SIPREC recording failed');
    this.#release();
    this.#resolveStarted(failed(code, reason, sipStatus));
    this.#resolveEnded({ reason: 'failed', code, error: reason, ...(sipStatus === undefined ? {} : { sipStatus }) });
  }

  async #finish(event: 'stop' | 'hangup' | 'remote-bye', end: RemoteRecordingEnd): Promise<void> {
    const wasStarting = this.#state === 'starting';
    if (!this.#to(event)) return this.ended.then(() => undefined);
    this.#release();
    if (wasStarting) {
      this.#cancel?.();
      this.#resolveStarted(failed('SIPREC_STATE', `the recording was stopped before the server answered (${end.reason})`));
    }
    if (event !== 'remote-bye') await this.#bye();
    this.#log.info({ reason: end.reason }, 'SIPREC recording ended');
    this.#resolveEnded(end);
  }

  async #bye(): Promise<void> {
    const dialog = this.#dialog;
    if (!dialog || dialog.state === 'terminated') return;
    try {
      await dialog.bye();
    } catch (err) {
      this.#log.debug({ err: errorMessage(err) }, 'SIPREC BYE not sent');
    }
  }

  #release(): void {
    for (const off of this.#offs.splice(0)) off();
    this.#streams.close();
  }
}
