/**
 * Dialplan applications run through `sendmsg` (call-command: execute), `originate ... &app(args)` and
 * `uuid_broadcast` (specs/esl.md §6): answer, pre_answer, ring_ready, hangup, playback, park, set,
 * export, unset, sleep, send_dtmf, echo, record, conference, bridge (and `socket`, defined by the
 * outbound mode). Each run fires CHANNEL_EXECUTE and CHANNEL_EXECUTE_COMPLETE (with Application-UUID
 * from the message's Event-UUID, and Application-Response); messages to one channel run in order, one at
 * a time, except that a parked channel (park, async socket) goes on taking messages. Before an app runs:
 * the sendmsg lead frames, `%[k=v,...]` scoped variables and `${...}` expansion; while it runs, the
 * hold-bleg music (message-extras.ts).
 */
import { errorMessage, uuid as newUuid, type Logger } from '../../lib/index.ts';
import { parseHangupCause, type Channel, type MemberOptions, type OriginateOptions, type Switch } from '../../core/index.ts';
import { expandVarsAsync, splitScope, type ApiCaller } from './api-commands/expand-vars.ts';
import { channelHeaders, channelVariables } from './channel-headers.ts';
import type { EventHeader } from './esl-event.ts';
import type { EventHub } from './event-hub.ts';
import { dialPlan, legCount, parseMultiDial } from './multi-dial.ts';
import { Displacements } from './displacements.ts';
import { holdPartner, leadFrames } from './message-extras.ts';
import { ParkHolds } from './park-holds.ts';
import { MessageQueues } from './message-queue.ts';
import type { BackgroundRecordings } from './background-recordings.ts';

export interface ExecuteOptions {
  /** Application-UUID (sendmsg Event-UUID); generated when absent. */
  appUuid?: string;
  appUuidName?: string;
  /** sendmsg `lead-frames`: frames to read before the app starts. */
  leadFrames?: number;
  /** sendmsg `hold-bleg: true`: hold music to the bridged partner while the app runs. */
  holdBleg?: boolean;
  /** sendmsg `event-lock-pri: true`: ahead of the ordinary messages still waiting. */
  priority?: boolean;
}

/**
 * What an application gets besides its channel and argument: the runner, and `release()`, which lets the
 * channel's message queue go on while the app keeps running (park loops: `park`, async `socket`).
 */
export interface AppContext {
  runner: AppRunner;
  release(): void;
}

export type AppFn = (channel: Channel, arg: string, runner: AppRunner, ctx: AppContext) => Promise<string>;

function whenEnded(channel: Channel): Promise<void> {
  if (channel.ended) return Promise.resolve();
  return new Promise((resolve) => { channel.on('hangup', () => resolve()); });
}

async function needMedia(channel: Channel): Promise<void> {
  if (channel.direction === 'inbound' && !channel.answered) await channel.preAnswer();
}

/** `<name>[@<profile>][+<pin>][+flags{mute|deaf|moderator|endconf}]` -> the room and member options. */
export function parseConferenceArg(arg: string): { name: string; options: MemberOptions } {
  const t = arg.trim();
  const flags = /\+?flags\{([^}]*)\}/.exec(t);
  const name = ((t.replace(/\+?flags\{[^}]*\}/, '').split('@')[0] ?? '').split('+')[0] ?? '').trim();
  const options: MemberOptions = {};
  for (const f of (flags?.[1] ?? '').split('|').map((x) => x.trim().toLowerCase())) {
    if (f === 'mute') options.mute = true;
    else if (f === 'deaf') options.deaf = true;
    else if (f === 'moderator') options.moderator = true;
    else if (f === 'endconf') options.endConferenceOnExit = true;
  }
  return { name, options };
}

/** A bridge B-leg's options from its variables (the originate ones, without the API arguments). */
function bridgeLegOptions(variables: Record<string, string>, allowUuid: boolean): OriginateOptions {
  const options: OriginateOptions = { variables };
  const secs = Number(variables['leg_timeout'] ?? variables['call_timeout'] ?? variables['originate_timeout'] ?? NaN);
  if (secs > 0) options.timeoutMs = secs * 1000;
  if (allowUuid && variables['origination_uuid']) options.uuid = variables['origination_uuid'];
  if (variables['ignore_early_media'] === 'true') options.earlyMedia = false;
  return options;
}

function setVar(channel: Channel, arg: string): string {
  const eq = arg.indexOf('=');
  if (eq > 0) channel.setVariable(arg.slice(0, eq), arg.slice(eq + 1));
  return '_none_';
}

const APPS: Readonly<Record<string, AppFn>> = {
  answer: async (ch) => { await ch.answer(); return '_none_'; },
  pre_answer: async (ch) => { await ch.preAnswer(); return '_none_'; },
  ring_ready: async (ch) => { await ch.ringing(); return '_none_'; },
  hangup: async (ch, arg) => { await ch.hangup(parseHangupCause(arg || 'NORMAL_CLEARING') ?? 'NORMAL_CLEARING'); return '_none_'; },
  playback: async (ch, arg) => {
    await needMedia(ch);
    const m = /^(.*)@@(\d+)$/.exec(arg);
    const terms = ch.getVariable('playback_terminators');
    const playback = ch.play(m ? m[1]! : arg, {
      ...(m ? { offsetSamples: Number(m[2]) } : {}),
      ...(terms !== undefined && terms !== 'none' ? { terminators: terms } : {}),
    });
    const outcome = await playback.done;
    ch.setVariable('playback_ms', String(Math.round(outcome.durationMs)));
    ch.setVariable('playback_seconds', String(Math.floor(outcome.durationMs / 1000)));
    if (outcome.terminator !== undefined) ch.setVariable('playback_terminator_used', outcome.terminator);
    if (outcome.status === 'failed') return /not found|ENOENT/i.test(outcome.error ?? '') ? 'FILE NOT FOUND' : 'PLAYBACK ERROR';
    return 'FILE PLAYED';
  },
  park: async (ch, _arg, runner, ctx) => {
    runner.parks.hold(ch, 'park');
    ctx.release();
    await runner.parks.whenUnparked(ch);
    return '_none_';
  },
  set: async (ch, arg) => setVar(ch, arg),
  export: async (ch, arg) => setVar(ch, arg.replace(/^nolocal:/, '')),
  unset: async (ch, arg) => { ch.setVariable(arg.trim(), undefined); return '_none_'; },
  sleep: (ch, arg, runner) => new Promise((resolve) => {
    const t = runner.sw.clock.setTimeout(() => resolve('_none_'), Number(arg) || 0);
    void whenEnded(ch).then(() => { t.cancel(); resolve('_none_'); });
  }),
  send_dtmf: async (ch, arg) => {
    const [digits, ms] = arg.split('@');
    const r = await ch.sendDtmf(digits ?? '', ms ? { durationMs: Number(ms) } : {});
    return r.ok ? '_none_' : '-ERR';
  },
  echo: async (ch) => {
    await needMedia(ch);
    ch.echo(true);
    await whenEnded(ch);
    return '_none_';
  },
  record: async (ch, arg) => {
    await needMedia(ch);
    const [path, limit] = arg.split(' ');
    const limitSecs = Number(limit);
    const rec = ch.record(path ?? '', limitSecs > 0 ? { maxDurationMs: limitSecs * 1000 } : {});
    const outcome = await rec.done;
    ch.setVariable('record_ms', String(Math.round(outcome.durationMs)));
    ch.setVariable('record_seconds', String(Math.floor(outcome.durationMs / 1000)));
    return outcome.status === 'failed' ? 'RECORD ERROR' : '_none_';
  },
  conference: async (ch, arg, runner, ctx) => {
    await needMedia(ch);
    const { name, options } = parseConferenceArg(arg);
    const joined = runner.sw.joinConference(ch, name, options);
    if (!joined.ok) return '-ERR';
    // The member stays in the room until it leaves or is kicked; meanwhile queued messages still run.
    ctx.release();
    await new Promise<void>((resolve) => {
      const offs = [
        runner.sw.bus.on('conference.memberLeft', (e) => { if (e.channel.uuid === ch.uuid) done(); }),
        ch.on('hangup', () => done()),
      ];
      if (ch.ended || ch.conference === undefined) done();
      function done(): void {
        for (const off of offs) off();
        resolve();
      }
    });
    return '_none_';
  },
  bridge: async (ch, arg, runner) => {
    const plan = parseMultiDial(arg);
    const cancel = new AbortController();
    const off = ch.on('hangup', () => cancel.abort('ORIGINATOR_CANCEL'));
    const result = await dialPlan(runner.sw, plan, (variables) => ({ ...bridgeLegOptions(variables, legCount(plan) === 1), parent: ch }), cancel.signal);
    off();
    if (!result.ok) {
      ch.setVariable('originate_disposition', result.cause);
      ch.setVariable('DIALSTATUS', result.cause);
      return result.cause;
    }
    if (ch.direction === 'inbound' && !ch.answered) await ch.answer();
    const bridged = runner.sw.bridge(ch, result.channel);
    if (!bridged.ok) {
      await result.channel.hangup('NORMAL_TEMPORARY_FAILURE');
      return '-ERR';
    }
    await Promise.race([whenEnded(ch), whenEnded(result.channel)]);
    return '_none_';
  },
};

export class AppRunner {
  readonly sw: Switch;
  readonly parks: ParkHolds;
  /** Files displaced into legs (uuid_displace, displace_session). */
  readonly displacements: Displacements;
  /** Background recordings (uuid_record, record_session), by channel uuid and path. */
  readonly recordings: BackgroundRecordings = new Map();
  readonly #hub: EventHub;
  readonly #log: Logger;
  readonly #queues = new MessageQueues();
  readonly #extra = new Map<string, AppFn>();

  /** Global variables (global_setvar), the fallback of `${var}` expansion. */
  readonly globals: Map<string, string>;

  constructor(sw: Switch, hub: EventHub, log: Logger, globals: Map<string, string> = new Map()) {
    this.sw = sw;
    this.#hub = hub;
    this.#log = log;
    this.globals = globals;
    this.parks = new ParkHolds(hub);
    this.displacements = new Displacements(sw.clock);
  }

  /** Runs an API line for `${api(args)}` expansion (set by the server once its API context exists). */
  apiCaller: ApiCaller | undefined;
  /** `fsctl api_expansion on|off`: whether `${api(args)}` runs (off: it expands to nothing). */
  apiExpansion = true;

  /**
   * `${var}` (channel, else global), `$${var}` (global), `${var:offset[:length]}` and `${api(args)}` in an
   * app argument, unless app_disable_expand_variables.
   */
  expand(channel: Channel, arg: string): Promise<string> {
    if (!arg.includes('${') || channel.getVariable('app_disable_expand_variables') === 'true') return Promise.resolve(arg);
    const vars = new Map(channelVariables(channel.snapshot()));
    return expandVarsAsync(arg, (name, global) => (global ? this.globals.get(name) : vars.get(name) ?? this.globals.get(name)), this.apiExpansion ? this.apiCaller : undefined);
  }

  /** The event source (apps that fire events of their own: `event`). */
  get hub(): EventHub { return this.#hub; }

  /** Adds an application defined outside this table (e.g. `socket`, which needs the socket services). */
  define(name: string, fn: AppFn): void {
    this.#extra.set(name.toLowerCase(), fn);
  }

  knows(app: string): boolean {
    return Object.hasOwn(APPS, app.toLowerCase()) || this.#extra.has(app.toLowerCase());
  }

  /**
   * Queues an application on a channel; resolves with its Application-Response. Never rejects. The next
   * queued message starts when this one ends, or earlier when it parks the channel.
   */
  execute(channel: Channel, app: string, arg: string, options: ExecuteOptions = {}): Promise<string> {
    return this.#queues.enqueue(channel.uuid, options.priority === true, (release) => this.#run(channel, app, arg, options, release))
      .catch((err: unknown) => this.#failed(channel, app, err));
  }

  /**
   * Runs an application at once, outside the channel's queue (a synchronous outbound socket's sendmsg,
   * specs/esl.md §3.3); resolves when it ends or parks the channel.
   */
  run(channel: Channel, app: string, arg: string, options: ExecuteOptions = {}): Promise<void> {
    return new Promise((resolve) => {
      void this.#run(channel, app, arg, options, resolve).catch((err: unknown) => this.#failed(channel, app, err)).then(() => resolve());
    });
  }

  close(): void {
    this.parks.close();
  }

  #failed(channel: Channel, app: string, err: unknown): string {
    this.#log.warn({ uuid: channel.uuid, app, err: errorMessage(err) }, 'application run failed');
    return '-ERR';
  }

  async #run(channel: Channel, app: string, rawArg: string, options: ExecuteOptions, release: () => void): Promise<string> {
    const fn = APPS[app.toLowerCase()] ?? this.#extra.get(app.toLowerCase());
    if (!fn) {
      this.#log.warn({ uuid: channel.uuid, app }, 'invalid application');
      return '-ERR invalid application';
    }
    if (options.leadFrames !== undefined) await leadFrames(this.sw.clock, channel, options.leadFrames);
    if (channel.ended && app.toLowerCase() !== 'hangup') return '-ERR channel gone';
    // `%[k=v,...]` scoped variables hold for this execution only (§6).
    const { scope, rest } = splitScope(rawArg);
    const saved = scope ? Object.fromEntries(Object.keys(scope).map((k) => [k, channel.getVariable(k)])) : undefined;
    if (scope) channel.setVariables(scope);
    try {
      return await this.#execute(channel, app, fn, await this.expand(channel, rest), options, release);
    } finally {
      // What the app itself changed stays.
      for (const [k, v] of Object.entries(saved ?? {})) if (channel.getVariable(k) === scope?.[k]) channel.setVariable(k, v);
    }
  }

  async #execute(channel: Channel, app: string, fn: AppFn, arg: string, options: ExecuteOptions, release: () => void): Promise<string> {
    const appUuid = options.appUuid ?? newUuid();
    const ids: EventHeader[] = [['Application-UUID', appUuid]];
    if (options.appUuidName !== undefined) ids.push(['Application-UUID-Name', options.appUuidName]);
    channel.setVariable('current_application', app);
    channel.setVariable('current_application_data', arg);
    this.#hub.fire({
      name: 'CHANNEL_EXECUTE', origin: ['switchboard', 'execute', 0],
      headers: [...channelHeaders(channel.snapshot(), { extended: true }), ['Application', app], ['Application-Data', arg], ...ids],
    });
    let response: string;
    const unhold = options.holdBleg === true ? holdPartner(this.sw, channel) : undefined;
    try {
      response = await fn(channel, arg, this, { runner: this, release });
    } catch (err) {
      this.#log.warn({ uuid: channel.uuid, app, err: errorMessage(err) }, 'application failed');
      response = '-ERR';
    } finally {
      unhold?.();
    }
    channel.setVariable('current_application_response', response);
    this.#hub.fire({
      name: 'CHANNEL_EXECUTE_COMPLETE', origin: ['switchboard', 'execute', 0],
      headers: [
        ...channelHeaders(channel.snapshot(), { extended: true }),
        ['Application', app], ['Application-Data', arg], ['Application-Response', response], ...ids,
      ],
    });
    return response;
  }
}
