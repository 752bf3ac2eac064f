/**
 * One call driven by a jambonz application (specs/jambonz.md §1.3-1.8, §2.3-2.5; the original's
 * lib/session/call-session.js): fetches the first verb array (`session:new` / the call_hook webhook, or
 * the static `app_json`), runs the verb stack in order, lets hook replies and commands replace or extend
 * it, and reports every call status change. When the stack empties a webhook app's call ends (BYE, or
 * 603 when nothing answered) while a WebSocket app's call stays up waiting for commands (§1.7). An
 * unusable first reply rejects the call with 480 and X-Reason (§2.1).
 *
 * Verbs run one at a time through verb-runner.ts (the table in verbs/), hooks whose reply may replace
 * the application through app-hook-request.ts; commands (commands/) and REST updates (live-call.ts) act
 * through its public methods. close() is idempotent: it hangs the call up and releases the
 * application connection.
 */
import type { Channel, HangupCause } from '../../../core/index.ts';
import { errorMessage, type Clock, type Logger } from '../../../lib/index.ts';
import type { AppCommand, Hook, HookRequestType, JambonzAccount, JambonzApplication, RequestorFactory } from '../contract.ts';
import { hookPayload, requestAppHook, type AppHookHost } from './app-hook-request.ts';
import { adultingHook } from './dial/adulting.ts';
import { watchDialogRequests } from './dialog-requests.ts';
import { watchRefers } from './refer/index.ts';
import { AppConnection, baseUrlOf } from './app-connection.ts';
import type { CallInfo } from './call-info.ts';
import { startFillerNoise } from './filler-noise.ts';
import { fetchInitialApp } from './initial-app.ts';
import { SessionBargeIn } from './session-barge-in.ts';
import type { SessionInit } from './session-types.ts';
import { snakeCaseKeys } from './snake-case.ts';
import type { Recognizer, RecognizerSettings, Synthesizer, SynthesizerSettings } from './speech.ts';
import { recognizerDefaults, synthesizerDefaults } from './speech-defaults.ts';
import { StatusReporter } from './status-reporter.ts';
import { normalizeVerbs, type ValidateVerbs, type ValidationResult, type VerbData } from './verb-data.ts';
import { VerbRunner, ensureMedia } from './verb-runner.ts';
import { VerbStack } from './verb-stack.ts';
import type { BargeInOptions, SessionSettings, VerbServices } from './verbs/index.ts';

export type { SessionInit } from './session-types.ts';

export interface SessionDeps {
  log: Logger;
  clock: Clock;
  requestorFactory: RequestorFactory | undefined;
  validate: ValidateVerbs;
  synthesizer: Synthesizer | undefined;
  recognizer: Recognizer | undefined;
  /** Server defaults for speech, under the application's own. */
  speechDefaults: { synthesizer: SynthesizerSettings; recognizer: RecognizerSettings };
  /** Runs a command of this session's app (on the session `callSid` names, when set). */
  commandFor(command: AppCommand, from: CallSession): Promise<void>;
  /** The session ended (its call hung up). */
  ended(session: CallSession): void;
}

/** How long webhook requestors stay open after the call ended, for the final status notification. */
const STATUS_GRACE_MS = 5_000;

export class CallSession implements VerbServices {
  readonly channel: Channel;
  readonly callInfo: CallInfo;
  readonly account: JambonzAccount;
  readonly application: JambonzApplication | undefined;
  readonly log: Logger;
  readonly clock: Clock;
  readonly settings: SessionSettings;
  readonly synthesizer: Synthesizer | undefined;
  readonly recognizer: Recognizer | undefined;
  /** Alerts the application raised (the `alert` verb, hook failures), newest last. */
  readonly alerts: { time: number; message: string }[] = [];
  readonly #deps: SessionDeps;
  readonly #init: SessionInit;
  readonly #conn: AppConnection;
  readonly #bargeIn: SessionBargeIn;
  readonly #status: StatusReporter;
  readonly #offs: (() => void)[] = [];
  readonly #stack = new VerbStack();
  readonly #runner: VerbRunner;
  readonly #hooks: AppHookHost;
  #ending = false;
  #closed = false;
  #closeCode = 1000;
  #done: Promise<void> | undefined;
  /** Commands of the app run one after the other, in arrival order. */
  #commands: Promise<void> = Promise.resolve();

  constructor(init: SessionInit, deps: SessionDeps) {
    this.#init = init;
    this.#deps = deps;
    this.channel = init.channel;
    this.callInfo = init.callInfo;
    this.account = init.account;
    this.application = init.application;
    this.clock = deps.clock;
    this.synthesizer = deps.synthesizer;
    this.recognizer = deps.recognizer;
    this.log = deps.log.child({ callSid: init.callInfo.callSid, callId: init.callInfo.callId });
    if (init.customerData) this.callInfo.customerData = init.customerData;
    this.settings = {
      synthesizer: this.#defaultSynthesizer(),
      recognizer: this.#defaultRecognizer(),
      notifyEvents: false,
    };
    const baseUrl = baseUrlOf(init.callHook);
    this.#conn = new AppConnection(deps.requestorFactory, {
      account: init.account, callSid: init.callInfo.callSid, ...(baseUrl ? { baseUrl } : {}),
    }, {
      command: (command) => this.#onCommand(command),
      closed: (event) => this.#onAppClosed(event),
    }, this.log, deps.clock);
    this.#bargeIn = new SessionBargeIn(this);
    this.#runner = new VerbRunner(this, this.#bargeIn);
    this.#hooks = {
      services: this, stack: this.#stack,
      request: (type, hook, payload) => this.#conn.request(type, hook, payload),
      validate: (payload) => this.validate(payload),
      replaceApplication: (verbs) => this.replaceApplication(verbs),
      failed: (details, verb) => this.#hookFailed(details, verb),
    };
    this.#status = new StatusReporter(this.callInfo, this.#conn, init.callStatusHook);
  }

  get callSid(): string { return this.callInfo.callSid; }
  get transport(): 'http' | 'ws' { return this.#conn.transport; }
  get ended(): boolean { return this.channel.ended; }
  /** The verbs waiting to run (for tests and diagnostics). */
  get pending(): readonly VerbData[] { return this.#stack.pending; }
  get currentVerb(): string | undefined { return this.#runner.current; }

  /**
   * Follows the call's status from now on (outbound: from leg creation, reporting `trying` at once;
   * inbound: `trying` goes out with the first request to the app).
   */
  watch(): void {
    const ch = this.channel;
    if (ch.direction === 'outbound') this.#status.send();
    this.#offs.push(
      ch.on('ringing', () => this.#status.report('ringing', 180)),
      ch.on('progress', ({ earlyMedia }) => this.#status.report(earlyMedia ? 'early-media' : 'ringing', 183)),
      ch.on('answered', () => this.#status.report('in-progress', 200)),
      ch.on('hangup', (h) => this.#onHangup(h)),
      watchDialogRequests(this, ch),
      watchRefers(this),
    );
    if (this.#init.timeLimitSecs !== undefined && this.#init.timeLimitSecs > 0) {
      const t = this.clock.setTimeout(() => {
        this.log.info({ timeLimit: this.#init.timeLimitSecs }, 'time limit reached');
        void this.channel.hangup('NORMAL_CLEARING');
      }, this.#init.timeLimitSecs * 1000);
      this.#offs.push(() => t.cancel());
    }
    if (ch.ended) this.#onHangup({ cause: ch.hangupCause ?? 'NORMAL_CLEARING', by: ch.hangupBy ?? 'remote' });
  }

  /** Fetches the application and runs it; resolves when the call has ended. Never rejects. */
  run(): Promise<void> {
    this.#done ??= this.#run().catch((err: unknown) => {
      this.log.error({ err }, 'call session failed');
      return this.#hangup();
    });
    return this.#done;
  }

  /** Ends the call (if up) and releases the application connection; idempotent. */
  async close(): Promise<void> {
    this.#runner.kill();
    this.#bargeIn.stop();
    if (!this.channel.ended) await this.channel.hangup('NORMAL_CLEARING');
    await this.#release(0);
  }

  // ---- VerbServices ----

  ensureMedia(earlyMedia: boolean): Promise<boolean> { return ensureMedia(this.channel, this.log, earlyMedia); }

  async performAction(hook: Hook | undefined, results: Record<string, unknown>, verb: VerbData): Promise<void> {
    if (!hook) return;
    await requestAppHook(this.#hooks, 'verb:hook', hook, hookPayload(this.callInfo, results, verb), verb);
  }

  notifyHook(hook: Hook | undefined, results: Record<string, unknown>, verb: VerbData): void {
    if (!hook || this.#closed) return;
    this.#conn.request('verb:hook', hook, hookPayload(this.callInfo, results, verb)).catch((err: unknown) => {
      this.log.info({ err: errorMessage(err), hook }, 'event hook failed');
    });
  }

  notifyStatus(payload: Record<string, unknown>, verb?: VerbData): void {
    if (!this.settings.notifyEvents || this.transport !== 'ws') return;
    const extra = verb ? { verb: verb.verb, ...(verb.id !== undefined ? { id: verb.id } : {}) } : {};
    this.#conn.notify('verb:status', undefined, snakeCaseKeys({ ...payload, ...extra }));
  }

  notifyError(payload: Record<string, unknown>, verb?: VerbData): void {
    const extra = verb ? { verb: verb.verb, ...(verb.id !== undefined ? { id: verb.id } : {}) } : {};
    this.log.warn({ ...payload, ...extra }, 'application error');
    this.alerts.push({ time: this.clock.now(), message: String(payload['details'] ?? payload['msg'] ?? 'error') });
    if (this.transport === 'ws') this.#conn.notify('jambonz:error', undefined, { ...payload, ...extra });
  }

  async redirect(hook: Hook): Promise<void> {
    await requestAppHook(this.#hooks, 'session:redirect', hook, snakeCaseKeys(this.callInfo.toJSON()), undefined, true);
  }

  setCustomerData(data: Record<string, unknown>): void { this.callInfo.customerData = data; }

  /** Status notifications of another leg of this call (a dial's B leg) through this call's application (§2.5). */
  statusReporterFor(info: CallInfo): StatusReporter {
    const reporter = new StatusReporter(info, this.#conn, this.#status.hook);
    reporter.sessionStarted = this.#status.sessionStarted;
    return reporter;
  }

  /** Sends a hook request on this call's application connection; resolves with the reply (dial:confirm, queue hooks). */
  requestHook(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown> {
    return this.#conn.request(type, hook, snakeCaseKeys(payload));
  }
  setStatusHook(hook: Hook): void { this.#status.hook = hook; }

  resetSpeech(what: 'synthesizer' | 'recognizer'): void {
    if (what === 'synthesizer') {
      for (const k of Object.keys(this.settings.synthesizer)) delete this.settings.synthesizer[k];
      Object.assign(this.settings.synthesizer, this.#defaultSynthesizer());
    } else {
      for (const k of Object.keys(this.settings.recognizer)) delete this.settings.recognizer[k];
      Object.assign(this.settings.recognizer, this.#defaultRecognizer());
    }
  }

  setBargeIn(options: BargeInOptions): void { this.#bargeIn.set(options); }

  alert(message: string, verb: VerbData): void {
    this.alerts.push({ time: this.clock.now(), message });
    this.log.warn({ alert: message, verb: verb.verb }, 'application alert');
  }

  // ---- SessionControl (commands, REST) ----

  validate(payload: unknown): ValidationResult {
    const r = this.#deps.validate(payload);
    return r.ok ? { ok: true, verbs: normalizeVerbs(r.verbs) } : r;
  }

  /** The verbs replace the stack; the running verb is killed. */
  replaceApplication(verbs: VerbData[]): void {
    this.#stack.replace(verbs);
    this.#runner.kill();
  }

  /** The verbs go to the end of the stack (queueCommand: true); wakes an idle session. */
  queueApplication(verbs: VerbData[]): void {
    this.#stack.queue(verbs);
  }

  /** Hangs up (answered) or rejects / cancels (unanswered): command and REST `call_status`. */
  async endCall(status: 'completed' | 'no-answer'): Promise<void> {
    this.#ending = true;
    const ch = this.channel;
    if (ch.ended) return;
    if (ch.answered) await ch.hangup('NORMAL_CLEARING');
    else if (ch.direction === 'inbound') await ch.hangup('NORMAL_TEMPORARY_FAILURE', { sipStatus: status === 'completed' ? 503 : 487 });
    else await ch.hangup('ORIGINATOR_CANCEL');
  }

  /** Runs a command of the application on this session (§1.6), after those before it. */
  handleCommand(command: AppCommand): Promise<void> {
    this.#commands = this.#commands.then(() => this.#deps.commandFor(command, this)).catch((err: unknown) => {
      this.log.warn({ err, command: command.command }, 'command failed');
    });
    return this.#commands;
  }

  // ---- internals ----

  async #run(): Promise<void> {
    const verbs = await this.#initialApp();
    if (!verbs || this.channel.ended) return;
    this.#stack.replace(verbs);
    for (;;) {
      if (this.channel.ended) break;
      const verb = this.#stack.next();
      if (verb) {
        await this.#runner.execute(verb);
        continue;
      }
      if (this.transport === 'ws' && !this.#conn.gracefullyClosed && !this.#ending) {
        const filler = this.settings.fillerNoise;
        const noise = filler ? startFillerNoise(this.channel, this.clock, this.log, filler, true) : undefined;
        await this.#idle();
        noise?.stop();
        continue;
      }
      await this.#hangup();
      break;
    }
  }

  async #initialApp(): Promise<VerbData[] | undefined> {
    const init = this.#init;
    if (init.adulting) this.#announceAdulting(init.adulting.parentCallInfo);
    const r = await fetchInitialApp({
      ...(init.appJson !== undefined ? { appJson: init.appJson } : {}),
      ...(init.callHook ? { callHook: init.callHook } : {}),
      ...(init.sip ? { sip: init.sip } : {}),
      ...(this.application?.env_vars ? { envVars: this.application.env_vars } : {}),
      callInfo: this.callInfo,
      conn: this.#conn,
      defaults: { synthesizer: this.#defaultSynthesizer(), recognizer: this.#defaultRecognizer() },
      validate: (payload) => this.validate(payload),
      started: () => {
        this.#status.sessionStarted = true;
        if (this.channel.direction === 'inbound') this.#status.send();
      },
    });
    if (this.channel.ended) return undefined;
    if (!r.ok) {
      await this.#reject(r.reason);
      return undefined;
    }
    return r.verbs;
  }

  /** A dial's B leg with its own app tells the app so (dial/adulting.ts); the reply is not used. */
  #announceAdulting(parentCallInfo: Record<string, unknown>): void {
    const hook = adultingHook(this.#init.callHook);
    if (!hook) return;
    this.#conn.request('session:adulting', hook, snakeCaseKeys({ ...this.callInfo.toJSON(), parentCallInfo }))
      .catch((err: unknown) => this.log.info({ err: errorMessage(err) }, 'session:adulting failed'));
  }

  /** An unusable first reply: 480 with X-Reason (inbound), hangup (outbound), socket closed with 1001. */
  async #reject(reason: string): Promise<void> {
    this.log.warn({ reason }, 'application rejected the call');
    this.alerts.push({ time: this.clock.now(), message: reason });
    if (this.transport === 'ws') this.#conn.notify('jambonz:error', undefined, { msg: 'invalid application', details: reason });
    this.#closeCode = 1001;
    if (this.channel.ended) return;
    if (this.channel.answered || this.channel.direction !== 'inbound') await this.channel.hangup('NORMAL_TEMPORARY_FAILURE');
    else await this.channel.hangup('NORMAL_TEMPORARY_FAILURE', { sipStatus: 480, headers: { 'X-Reason': reason.slice(0, 200) } });
  }

  #idle(): Promise<void> {
    this.log.debug('verb stack empty: waiting for commands');
    return this.#stack.idle();
  }

  /** The stack ended: BYE when answered, 603 when nothing answered (§8.8). */
  async #hangup(): Promise<void> {
    const ch = this.channel;
    if (ch.ended) return;
    if (ch.answered || ch.direction !== 'inbound') await ch.hangup('NORMAL_CLEARING');
    else await ch.hangup('CALL_REJECTED', { sipStatus: 603 });
  }

  /** WebSocket apps get jambonz:error and the stack goes on; a webhook app's call is ended (§1.3). */
  #hookFailed(details: string, verb: VerbData | undefined): void {
    this.notifyError({ msg: 'invalid actionHook response', details }, verb);
    if (this.transport === 'ws') return;
    this.#ending = true;
    this.replaceApplication([]);
  }

  #onCommand(command: AppCommand): void {
    void this.handleCommand(command);
  }

  #onAppClosed(event: { code: number; reason: string }): void {
    if (event.code === 1000) {
      this.log.info('application closed the socket: the call ends when its verbs do');
      this.#stack.poke();
      return;
    }
    this.log.warn({ code: event.code, reason: event.reason }, 'application connection lost: ending the call');
    this.#ending = true;
    this.replaceApplication([]);
  }

  #onHangup(h: { cause: HangupCause; sipStatus?: number; by: 'local' | 'remote' }): void {
    if (this.#status.finalSent || this.#closed) return;
    this.#status.final(this.channel, h);
    this.#stack.end();
    this.#runner.kill();
    this.#bargeIn.stop();
    void this.#release();
  }

  async #release(graceMs = STATUS_GRACE_MS): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#offs.splice(0)) off();
    this.#deps.ended(this);
    await this.#conn.close(this.#closeCode, graceMs);
  }

  #defaultSynthesizer(): SynthesizerSettings {
    return synthesizerDefaults(this.application, this.#deps.speechDefaults.synthesizer);
  }

  #defaultRecognizer(): RecognizerSettings {
    return recognizerDefaults(this.application, this.#deps.speechDefaults.recognizer);
  }
}
