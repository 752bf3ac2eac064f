/**
 * Dialplan applications run through `sendmsg` (call-command: execute), `originate ... &app(args)` and
 * `uuid_broadcast` (specs/esl.md §6): answer, pre_answer, ring_ready, hangup, playback, park, set,
 * export, unset, sleep, send_dtmf, echo, record, conference, bridge. Each run fires CHANNEL_EXECUTE and
 * CHANNEL_EXECUTE_COMPLETE (with Application-UUID from the message's Event-UUID, and
 * Application-Response); messages to one channel run in order, one at a time.
 */
import { errorMessage, uuid as newUuid, type Logger } from '../../lib/index.ts';
import { parseHangupCause, type Channel, type Switch } from '../../core/index.ts';
import { channelHeaders } from './channel-headers.ts';
import type { EventHeader } from './esl-event.ts';
import type { EventHub } from './event-hub.ts';
import { parseDialString } from './dial-string.ts';

export interface ExecuteOptions {
  /** Application-UUID (sendmsg Event-UUID); generated when absent. */
  appUuid?: string;
  appUuidName?: string;
}

type AppFn = (channel: Channel, arg: string, runner: AppRunner) => Promise<string>;

function whenEnded(channel: Channel): Promise<void> {
  if (channel.ended) return Promise.resolve();
  return new Promise((resolve) => { channel.on('hangup', () => resolve()); });
}

async function needMedia(channel: Channel): Promise<void> {
  if (channel.direction === 'inbound' && !channel.answered) await channel.preAnswer();
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
    const playback = ch.play(m ? m[1]! : arg, m ? { offsetSamples: Number(m[2]) } : {});
    const outcome = await playback.done;
    ch.setVariable('playback_ms', String(Math.round(outcome.durationMs)));
    ch.setVariable('playback_seconds', String(Math.floor(outcome.durationMs / 1000)));
    if (outcome.terminator !== undefined) ch.setVariable('playback_terminator_used', outcome.terminator);
    if (outcome.status === 'failed') return /not found|ENOENT/i.test(outcome.error ?? '') ? 'FILE NOT FOUND' : 'PLAYBACK ERROR';
    return 'FILE PLAYED';
  },
  park: async () => '_none_',
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
  conference: async (ch, arg, runner) => {
    await needMedia(ch);
    const name = (arg.split('@')[0] ?? '').split('+')[0] ?? '';
    const joined = runner.sw.joinConference(ch, name);
    return joined.ok ? '_none_' : '-ERR';
  },
  bridge: async (ch, arg, runner) => {
    const dial = parseDialString(arg);
    const result = await runner.sw.originate(dial.target, { parent: ch, variables: dial.variables });
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
  readonly #hub: EventHub;
  readonly #log: Logger;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(sw: Switch, hub: EventHub, log: Logger) {
    this.sw = sw;
    this.#hub = hub;
    this.#log = log;
  }

  static knows(app: string): boolean {
    return Object.hasOwn(APPS, app.toLowerCase());
  }

  /** Queues an application on a channel; resolves with its Application-Response. Never rejects. */
  execute(channel: Channel, app: string, arg: string, options: ExecuteOptions = {}): Promise<string> {
    const previous = this.#queues.get(channel.uuid) ?? Promise.resolve();
    const run = previous.then(() => this.#run(channel, app, arg, options));
    const tail = run.finally(() => {
      if (this.#queues.get(channel.uuid) === tail) this.#queues.delete(channel.uuid);
    });
    this.#queues.set(channel.uuid, tail);
    return run;
  }

  async #run(channel: Channel, app: string, arg: string, options: ExecuteOptions): Promise<string> {
    const fn = APPS[app.toLowerCase()];
    if (!fn) {
      this.#log.warn({ uuid: channel.uuid, app }, 'invalid application');
      return '-ERR invalid application';
    }
    if (channel.ended && app.toLowerCase() !== 'hangup') return '-ERR channel gone';
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
    try {
      response = await fn(channel, arg, this);
    } catch (err) {
      this.#log.warn({ uuid: channel.uuid, app, err: errorMessage(err) }, 'application failed');
      response = '-ERR';
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
