/**
 * The runtime's registry of call sessions (the original's session-tracker): starts a session for each
 * routed inbound call and each REST-created call, finds sessions by call sid for REST and for commands
 * that target another leg, and closes them all on shutdown (idempotent; the registry ends empty).
 */
import type { Channel, Switch } from '../../../core/index.ts';
import { systemClock, type Clock, type Logger } from '../../../lib/index.ts';
import type {
  AppCatalog, CreateCallRequest, JambonzAccount, JambonzApplication, LiveCall, RequestorFactory, RestOutcome, SessionManager,
} from '../contract.ts';
import { inboundCallInfo, sipOf } from './call-info.ts';
import { CallSession, type SessionDeps, type SessionInit } from './call-session.ts';
import { dispatchCommand } from './commands/index.ts';
import { createCall, type PhoneTarget } from './create-call.ts';
import { liveCallOf } from './live-call.ts';
import { ActiveDials } from './dial/active-dials.ts';
import type { CarrierDirectory } from './dial/carrier-directory.ts';
import { bindConnect } from './dial/connect-services.ts';
import { queueViews, type QueueView } from './queues/queue-listing.ts';
import { bindRecordingDir } from './recording/index.ts';
import { VERBS } from './verbs/index.ts';
import type { Recognizer, RecognizerSettings, Synthesizer, SynthesizerSettings } from './speech.ts';
import { synthesizerFrom, type TtsFileSource } from './speech-adapters.ts';
import { basicValidate, type ValidateVerbs } from './verb-data.ts';

export interface SessionManagerOptions {
  sw: Switch;
  catalog: AppCatalog;
  log: Logger;
  clock?: Clock;
  /** Builds hook requestors (http(s) webhooks, ws(s) WebSocket API); without it only app_json apps run. */
  requestorFactory?: RequestorFactory;
  /** Full verb validation; defaults to a structural check. */
  validate?: ValidateVerbs;
  /** A Synthesizer, or a cache serving WAV files per text (the speech room's TtsCache). */
  tts?: Synthesizer | TtsFileSource;
  stt?: Recognizer;
  /** Server speech defaults under each application's own (the `defaults` of session:new). */
  speechDefaults?: { synthesizer?: SynthesizerSettings; recognizer?: RecognizerSettings };
  /** Dial target of a REST `phone` destination (a carrier); `to.trunk` is used when absent. */
  phoneTarget?: PhoneTarget;
  /** Carriers for `phone` dial targets. */
  carriers?: CarrierDirectory;
  /** Where call recordings go (`record`, `config.record`; one folder per account); without it recording is refused. */
  recordingsDir?: string;
}

export class JambonzSessionManager implements SessionManager {
  readonly #o: SessionManagerOptions;
  readonly #log: Logger;
  readonly #sessions = new Map<string, CallSession>();
  readonly #deps: SessionDeps;
  /** Dials in progress, by A-leg call sid. */
  readonly dials = new ActiveDials();
  #closing: Promise<void> | undefined;

  constructor(options: SessionManagerOptions) {
    this.#o = options;
    this.#log = options.log.child({ room: 'jambonz-runtime' });
    this.#deps = {
      log: this.#log,
      clock: options.clock ?? systemClock,
      requestorFactory: options.requestorFactory,
      validate: options.validate ?? basicValidate,
      synthesizer: options.tts && 'file' in options.tts ? synthesizerFrom(options.tts) : options.tts,
      recognizer: options.stt,
      speechDefaults: {
        synthesizer: { vendor: 'default', language: 'en-US', ...options.speechDefaults?.synthesizer },
        recognizer: { vendor: 'default', language: 'en-US', ...options.speechDefaults?.recognizer },
      },
      commandFor: (command, from) => dispatchCommand(command, from, (sid) => this.#sessions.get(sid)),
      ended: (session) => {
        if (this.#sessions.get(session.callSid) === session) this.#sessions.delete(session.callSid);
      },
    };
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** The session of a call (tests, diagnostics). */
  session(callSid: string): CallSession | undefined {
    return this.#sessions.get(callSid);
  }

  startInbound(channel: Channel, application: JambonzApplication, account: JambonzAccount): void {
    if (this.#closing) {
      void channel.hangup('SYSTEM_SHUTDOWN');
      return;
    }
    // A call from a carrier's address, or sent to a carrier's realm, is tagged with the carrier
    // (`originating_sip_trunk_name`).
    const carriers = this.#o.carriers;
    const trunk = carriers?.carrierOfAddress(channel.getVariable('sip_network_ip') ?? '')
      ?? carriers?.carrierOfRealm(channel.getVariable('sip_req_host') ?? '');
    if (trunk !== undefined) channel.setVariable('sip_carrier', trunk);
    const init: SessionInit = {
      channel, account, application, callInfo: inboundCallInfo(channel, account, application), sip: sipOf(channel),
    };
    if (application.app_json !== undefined && application.app_json !== '') init.appJson = application.app_json;
    else if (application.call_hook !== undefined) init.callHook = application.call_hook;
    if (application.call_status_hook !== undefined) init.callStatusHook = application.call_status_hook;
    const session = this.#add(init);
    void session.run();
  }

  createCall(request: CreateCallRequest): Promise<RestOutcome> {
    if (this.#closing) return Promise.resolve({ status: 503, body: { msg: 'the server is shutting down' } });
    const carriers = this.#o.carriers;
    const phoneTarget = this.#o.phoneTarget ?? (carriers ? (number: string, trunk?: string) => carriers.route(number, trunk) : undefined);
    return createCall(request, { sw: this.#o.sw, phoneTarget, session: (init) => this.#add(init) });
  }

  get(callSid: string): LiveCall | undefined {
    const s = this.#sessions.get(callSid);
    return s ? liveCallOf(s) : undefined;
  }

  /** The account's queues with waiting calls (REST `GET /Accounts/:sid/Queues`). */
  queues(accountSid: string): QueueView[] {
    return queueViews(this.#o.sw, accountSid);
  }

  list(accountSid: string): LiveCall[] {
    return [...this.#sessions.values()].filter((s) => s.account.account_sid === accountSid).map(liveCallOf);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#sessions.values()].map((s) => s.close()));
      this.#sessions.clear();
    })();
    return this.#closing;
  }

  #add(init: SessionInit): CallSession {
    const session = new CallSession(init, this.#deps);
    this.#sessions.set(session.callSid, session);
    bindConnect(session, {
      sw: this.#o.sw, account: init.account, application: init.application, callHook: init.callHook, dials: this.dials,
      carriers: this.#o.carriers,
      request: (type, hook, payload) => session.requestHook(type, hook, payload),
      validate: (payload) => session.validate(payload),
      replaceApplication: (verbs) => session.replaceApplication(verbs),
      childStatus: (info) => session.statusReporterFor(info),
      createCall: (body) => this.createCall({ account: init.account, body, ...(init.application ? { application: init.application } : {}) }),
      verb: (name) => VERBS.get(name),
      startSession: (child) => {
        if (this.#closing) {
          void child.channel.hangup('SYSTEM_SHUTDOWN');
          return;
        }
        void this.#add(child).run();
      },
    });
    if (this.#o.recordingsDir !== undefined) bindRecordingDir(session, this.#o.recordingsDir);
    session.watch();
    return session;
  }
}
