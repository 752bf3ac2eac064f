/**
 * One run of the `dial` verb (specs/jambonz.md §3.A dial, §2.4 dial actionHook, §1.3 dial:confirm):
 *
 * 1. the A leg is answered at once unless `answerOnBridge` (then it hears ringing, 180, until the B leg
 *    answers); `dialMusic` plays to an answered A leg while the targets ring;
 * 2. every target rings at once (ring-all.ts) for `timeout` seconds (default 60) with the A leg's
 *    caller id or `callerId` / `callerName`, the verb's and the target's `headers`;
 * 3. the winner runs the confirmHook's screening verbs (leg-runner.ts), when there is one: a B leg the
 *    screening hung up is a rejected call (`failed`, 603);
 * 4. the legs are bridged (core `sw.bridge`, media relayed or transcoded by the media layer) without
 *    hanging one up with the other: when the B leg ends, or `timeLimit` seconds pass, the dial is over
 *    and the A leg goes on with its next verb; when the A leg ends the B leg is hung up;
 * 5. `dtmfCapture` patterns pressed on either leg call `dtmfHook` with `{dtmf}`; a nested `transcribe`
 *    transcribes the caller, the callee (`channel: 2`) or both while they are bridged;
 * 6. `actionHook` gets `dial_call_status`, `dial_sip_status`, `dial_call_sid`, `dial_sbc_callid`;
 * 7. with one target and no dialMusic, the callee's early media (183 with SDP) is bridged to the caller
 *    while it rings (an unanswered caller, `answerOnBridge`, first gets a 183 with our SDP), as the
 *    original's `_bridgeEarlyMedia`;
 * 8. while bridged: a far-end hold on either leg plays `onHoldHook` verbs or `config.onHoldMusic` to the
 *    other party (dial-hold.ts); a REFER from either leg goes to `referHook` (dial-refer.ts); the callee's
 *    INFO / MESSAGE go to the caller's `sipRequestWithinDialogHook`; a nested `listen` / `stream` forks
 *    the bridged audio (dial-listen.ts); with `exitMediaPath` the media leaves the server once bridged
 *    (dial-media-path.ts).
 *
 * While it runs the dial is in the registry of active dials so commands can give the B leg its own
 * application (the dial then ends and both legs stay up) or hang it up, or whisper to it (§1.6
 * `whisper`: say/play heard by the B leg only, the caller hears nothing of it).
 */
import type { Bridge, Channel, RemoteTransfer } from '../../../../core/index.ts';
import type { Hook } from '../../contract.ts';
import { boostFromVerb } from '../audio-boost.ts';
import { CallInfo } from '../call-info.ts';
import { handleDialogRequest } from '../dialog-requests.ts';
import { transcribeRequestOf, Transcription } from '../transcribe/index.ts';
import { asBoolean, asNumber, asHeaders, asRecord, asString, type VerbData } from '../verb-data.ts';
import { hookOf, type VerbContext, type VerbServices } from '../verbs/verb.ts';
import type { ActiveDial } from './active-dials.ts';
import type { ConnectServices } from './connect-services.ts';
import { dialPayload, failureStatus } from './dial-outcome.ts';
import { dialTargets, type DialTarget } from './dial-targets.ts';
import { watchDialHold } from './dial-hold.ts';
import { adoptLeg } from './adulting.ts';
import { startDialDub } from './dial-dub.ts';
import { startDialListen } from './dial-listen.ts';
import { exitMediaPathAfterBridge } from './dial-media-path.ts';
import { handleChildRefer, takeParentRefer, type DialReferContext } from './dial-refer.ts';
import { DtmfMatcher, capturePatterns } from './dtmf-capture.ts';
import { runOnLeg } from './leg-runner.ts';
import { ringAll } from './ring-all.ts';

/** Ends of a bridged dial. */
type BridgeEnd = 'child-hangup' | 'parent-hangup' | 'time-limit' | 'killed' | 'adopted';

export class DialCall implements ActiveDial {
  readonly callSid: string;
  readonly #ctx: VerbContext;
  readonly #s: VerbServices;
  readonly #c: ConnectServices;
  readonly #verb: VerbData;
  #child: Channel | undefined;
  #ringing = new AbortController();
  #endBridge: ((end: BridgeEnd) => void) | undefined;
  #adopted: { verbs: VerbData[] } | { hook: Hook } | undefined;
  /** The caller bridged to a ringing callee's early media. */
  #early: Bridge | undefined;
  /** Call info and status reporting of every leg rung, by uuid (B legs report their own statuses, §2.5). */
  readonly #legs = new Map<string, { info: CallInfo; stop: () => void }>();

  constructor(ctx: VerbContext, connect: ConnectServices) {
    this.#ctx = ctx;
    this.#s = ctx.services;
    this.#c = connect;
    this.#verb = ctx.verb;
    this.callSid = ctx.services.callInfo.callSid;
  }

  get child(): Channel | undefined { return this.#child; }

  adoptChild(app: { verbs: VerbData[] } | { hook: Hook }): boolean {
    if (!this.#child || this.#child.ended || !this.#endBridge) return false;
    this.#adopted = app;
    this.#endBridge('adopted');
    return true;
  }

  async run(): Promise<void> {
    const s = this.#s;
    const verb = this.#verb;
    const a = s.channel;
    const parsed = dialTargets(verb['target'], this.#c.carriers);
    if (!parsed.ok) {
      s.notifyError({ msg: 'invalid verb', details: `dial: ${parsed.error}` }, verb);
      return;
    }
    const unregister = this.#c.dials.add(this);
    const killed = (): void => this.#ringing.abort();
    this.#ctx.signal.addEventListener('abort', killed, { once: true });
    const offHangup = a.on('hangup', killed);
    try {
      await this.#dial(parsed.targets, a);
    } finally {
      unregister();
      offHangup();
      this.#ctx.signal.removeEventListener('abort', killed);
    }
  }

  async #dial(targets: DialTarget[], a: Channel): Promise<void> {
    const s = this.#s;
    const verb = this.#verb;
    const answerOnBridge = asBoolean(verb['answerOnBridge']) ?? false;
    if (!answerOnBridge && !(await s.ensureMedia(false))) return;
    const music = this.#dialMusic(a);
    const ring = await ringAll(this.#c.sw, targets, {
      parent: a,
      callerId: { number: asString(verb['callerId']) ?? a.caller.number, name: asString(verb['callerName']) ?? a.caller.name },
      timeoutMs: Math.max(1, asNumber(verb['timeout']) ?? 60) * 1000,
      headers: asHeaders(verb['headers']) ?? {},
      signal: this.#ringing.signal,
      onLeg: (leg, target) => {
        this.#watchLeg(leg, target);
        leg.on('ringing', () => {
          if (!a.answered && !a.ended && a.direction === 'inbound' && a.state === 'routing') void a.ringing();
        });
        if (targets.length === 1 && !asString(verb['dialMusic'])) {
          leg.on('progress', ({ earlyMedia }) => {
            if (earlyMedia) void this.#earlyMedia(a, leg, answerOnBridge);
          });
        }
      },
    });
    music.abort();
    this.#early?.close('unbridge');
    this.#early = undefined;
    if (!ring.ok) {
      if (a.ended || this.#ctx.signal.aborted) return;
      const f = failureStatus(ring);
      this.#ctx.log.info({ cause: ring.cause, status: f.status }, 'dial: no target answered');
      await s.performAction(hookOf(verb['actionHook']), dialPayload(f.status, f.sipStatus, ring.callSid), verb);
      return;
    }
    const b = ring.channel;
    this.#child = b;
    const sbcCallId = b.getVariable('sip_call_id');
    if (a.ended || this.#ctx.signal.aborted) {
      await b.hangup('ORIGINATOR_CANCEL');
      return;
    }
    const info = this.#legs.get(b.uuid)?.info ?? this.#childInfo(b, ring.target);
    const confirmHook = ring.target.confirmHook ?? hookOf(verb['confirmHook']);
    if (confirmHook && !(await this.#confirm(confirmHook, b, info))) {
      if (!b.ended) await b.hangup('CALL_REJECTED');
      if (a.ended || this.#ctx.signal.aborted) return;
      await s.performAction(hookOf(verb['actionHook']), dialPayload('failed', 603, b.uuid, sbcCallId), verb);
      return;
    }
    if (!a.answered) {
      const r = await a.answer();
      if (!r.ok || a.ended) {
        await b.hangup('ORIGINATOR_CANCEL');
        return;
      }
    }
    const end = await this.#bridged(a, b);
    this.#ctx.log.info({ end, child: b.uuid }, 'dial: ended');
    if (end === 'adopted') {
      this.#legs.get(b.uuid)?.stop();
      this.#startChildApp(b, info);
    }
    else if (!b.ended) await b.hangup('NORMAL_CLEARING');
    if (a.ended || end === 'killed' || this.#ctx.signal.aborted) return;
    await s.performAction(hookOf(verb['actionHook']), dialPayload('completed', 200, b.uuid, sbcCallId), verb);
  }

  /** Bridges the caller to a ringing callee's early media (preAnswering an unanswered caller first). */
  async #earlyMedia(a: Channel, leg: Channel, answerOnBridge: boolean): Promise<void> {
    if (this.#early || a.ended || leg.ended || this.#ringing.signal.aborted) return;
    if (!a.answered) {
      if (!answerOnBridge || a.direction !== 'inbound') return;
      const r = await a.preAnswer();
      if (!r.ok || a.ended || leg.ended || leg.answered || this.#ringing.signal.aborted) return;
    }
    if (this.#early || this.#child) return;
    const bridged = this.#c.sw.bridge(a, leg, { hangupAfterBridge: false });
    if (!bridged.ok) {
      this.#ctx.log.info({ err: bridged.error.message }, 'dial: early media not bridged');
      return;
    }
    this.#ctx.log.info({ leg: leg.uuid }, 'dial: callee early media bridged to the caller');
    this.#early = bridged.bridge;
  }

  /** Plays dialMusic to the (answered) A leg until aborted. */
  #dialMusic(a: Channel): AbortController {
    const stop = new AbortController();
    const url = asString(this.#verb['dialMusic']);
    if (!url || !a.answered) return stop;
    void (async () => {
      for (let i = 0; i < 1000 && !stop.signal.aborted && !a.ended; i++) {
        const playback = a.play(url, {});
        const halt = (): void => playback.stop();
        stop.signal.addEventListener('abort', halt, { once: true });
        const outcome = await playback.done;
        stop.signal.removeEventListener('abort', halt);
        if (outcome.status === 'failed') {
          this.#ctx.log.info({ url }, 'dial: dialMusic failed');
          return;
        }
      }
    })();
    return stop;
  }

  /** Reports the leg's statuses (trying, ringing / early-media, in-progress, the final one) to the application. */
  #watchLeg(leg: Channel, target: DialTarget): void {
    const info = this.#childInfo(leg, target);
    info.setStatus('trying', 100);
    const reporter = this.#c.childStatus(info);
    reporter.send();
    const offs = [
      leg.on('ringing', () => reporter.report('ringing', 180)),
      leg.on('progress', ({ earlyMedia }) => reporter.report(earlyMedia ? 'early-media' : 'ringing', 183)),
      leg.on('answered', () => reporter.report('in-progress', 200)),
      leg.on('hangup', (h) => {
        stop();
        reporter.final(leg, h);
      }),
    ];
    const stop = (): void => {
      for (const off of offs.splice(0)) off();
    };
    this.#legs.set(leg.uuid, { info, stop });
  }

  #childInfo(b: Channel, target: DialTarget): CallInfo {
    const s = this.#s;
    const info = new CallInfo({
      callSid: b.uuid, direction: 'outbound', from: b.caller.number, to: target.destination, callId: b.getVariable('sip_call_id') ?? b.uuid,
      callerName: b.caller.name, account: this.#c.account, ...(this.#c.application ? { application: this.#c.application } : {}),
      parentCallSid: s.callInfo.callSid,
    });
    if (b.answered) info.setStatus('in-progress', 200);
    return info;
  }

  /** Screening on the B leg; true when the B leg is still up afterwards (accepted). */
  async #confirm(hook: Hook, b: Channel, info: CallInfo): Promise<boolean> {
    let reply: unknown;
    try {
      reply = await this.#c.request('dial:confirm', hook, { ...info.toJSON() });
    } catch (err) {
      this.#ctx.log.warn({ err }, 'dial: confirmHook failed');
      return false;
    }
    if (Array.isArray(reply) && reply.length > 0) {
      const r = this.#c.validate(reply);
      if (!r.ok) {
        this.#s.notifyError({ msg: 'invalid confirmHook response', details: r.error }, this.#verb);
        return false;
      }
      await runOnLeg(this.#s, this.#c, b, info, r.verbs, this.#ringing.signal);
    }
    return !b.ended && !this.#ctx.signal.aborted;
  }

  #bridged(a: Channel, b: Channel): Promise<BridgeEnd> {
    const bridge = this.#c.sw.bridge(a, b, { hangupAfterBridge: false });
    if (!bridge.ok) {
      this.#ctx.log.warn({ err: bridge.error.message }, 'dial: bridge failed');
      return Promise.resolve('child-hangup');
    }
    const verb = this.#verb;
    const offs: (() => void)[] = [];
    return new Promise<BridgeEnd>((resolve) => {
      const finish = (end: BridgeEnd): void => {
        this.#endBridge = undefined;
        for (const off of offs.splice(0)) off();
        bridge.bridge.close('unbridge');
        resolve(end);
      };
      this.#endBridge = finish;
      offs.push(b.on('hangup', () => finish('child-hangup')), a.on('hangup', () => finish('parent-hangup')));
      const onKill = (): void => finish('killed');
      this.#ctx.signal.addEventListener('abort', onKill, { once: true });
      offs.push(() => this.#ctx.signal.removeEventListener('abort', onKill));
      const limit = asNumber(verb['timeLimit']);
      if (limit !== undefined && limit > 0) {
        const t = this.#s.clock.setTimeout(() => finish('time-limit'), limit * 1000);
        offs.push(() => t.cancel());
      }
      const dtmfHook = hookOf(verb['dtmfHook']);
      const patterns = capturePatterns(verb['dtmfCapture']);
      for (const [leg, list] of [[a, patterns.parent], [b, patterns.child]] as const) {
        if (!dtmfHook || list.length === 0) continue;
        const matcher = new DtmfMatcher(list);
        offs.push(leg.on('dtmf', ({ digit }) => {
          const hit = matcher.feed(digit);
          if (hit !== undefined) this.#s.notifyHook(dtmfHook, { dtmf: hit }, verb);
        }));
      }
      const transcribe = asRecord(verb['transcribe']);
      if (transcribe) offs.push(this.#transcribe(a, b, transcribe));
      startDialDub(this.#s, verb);
      // boostAudioSignal: a gain on what the callee hears (audio-boost.ts).
      if (verb['boostAudioSignal'] !== undefined) boostFromVerb(this.#s, b, verb['boostAudioSignal'], verb);
      const childInfo = this.#legs.get(b.uuid)?.info;
      if (childInfo) {
        const listen = asRecord(verb['listen']) ?? asRecord(verb['stream']);
        if (listen) offs.push(startDialListen(this.#s, listen, a, b, childInfo));
        offs.push(watchDialHold({ s: this.#s, c: this.#c, a, b, childInfo, hook: hookOf(verb['onHoldHook']), music: this.#s.settings.onHoldMusic }));
        const refer = this.#referContext(childInfo);
        offs.push(b.on('refer', (t) => handleChildRefer(refer, t)));
      }
      offs.push(b.on('request', (r) => handleDialogRequest(this.#s, r)));
      exitMediaPathAfterBridge(bridge.bridge, verb, this.#ctx.log);
      if (b.ended) finish('child-hangup');
      else if (a.ended) finish('parent-hangup');
    });
  }

  takeRefer(transfer: RemoteTransfer): boolean {
    const b = this.#child;
    const info = b ? this.#legs.get(b.uuid)?.info : undefined;
    if (!b || b.ended || !this.#endBridge || !info) return false;
    return takeParentRefer(this.#referContext(info), transfer);
  }

  #referContext(childInfo: CallInfo): DialReferContext {
    return {
      s: this.#s, c: this.#c, hook: hookOf(this.#verb['referHook']), childInfo,
      adoptChild: (verbs) => this.adoptChild({ verbs }),
    };
  }

  whisper(verbs: readonly VerbData[]): boolean {
    const b = this.#child;
    if (!b || b.ended || !this.#endBridge) return false;
    const info = this.#legs.get(b.uuid)?.info;
    if (!info) return false;
    void runOnLeg(this.#s, this.#c, b, info, verbs, this.#ctx.signal)
      .catch((err: unknown) => this.#ctx.log.warn({ err }, 'dial: whisper failed'));
    return true;
  }

  /** Nested `transcribe` (specs/jambonz.md §3.A dial): runs while the legs are bridged; returns its stop. */
  #transcribe(a: Channel, b: Channel, data: Record<string, unknown>): () => void {
    const parsed = transcribeRequestOf(data, this.#s.settings.recognizer);
    if (!parsed.ok) {
      this.#s.notifyError({ msg: 'invalid verb', details: `dial.transcribe: ${parsed.error}` }, this.#verb);
      return () => {};
    }
    const legs = parsed.request.tags.map((tag) => ({ channel: tag === 2 ? b : a, tag }));
    const t = new Transcription(this.#s, { hook: parsed.request.hook, settings: parsed.request.settings, legs, verb: { ...data, verb: 'transcribe' } });
    t.start();
    return () => t.stop();
  }

  #startChildApp(b: Channel, info: CallInfo): void {
    const app = this.#adopted;
    if (!app || b.ended) return;
    // session:redirect to a child hook, then session:adulting (adulting.ts).
    void adoptLeg(this.#s, this.#c, b, info, app, this.#ctx.log);
  }
}
