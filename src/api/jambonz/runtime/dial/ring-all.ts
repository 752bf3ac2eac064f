/**
 * Simultaneous ring (specs/jambonz.md §3.A dial: up to 10 targets rung at once): every target is
 * originated in parallel; the first to answer wins and the others are cancelled with LOSE_RACE (a late
 * second answer is hung up). When every target failed, the most telling failure is the result
 * (busy > no-answer > failed). Aborting `signal` cancels everything that rings.
 */
import type { Channel, OriginateOptions, Switch } from '../../../../core/index.ts';
import { uuid as newUuid } from '../../../../lib/index.ts';
import { failureRank, failureStatus, type DialFailure } from './dial-outcome.ts';
import type { DialTarget } from './dial-targets.ts';

export interface RingOptions {
  parent: Channel;
  callerId: { number: string; name: string };
  timeoutMs: number;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** A leg exists (ringing has begun or is about to). */
  onLeg?: (channel: Channel, target: DialTarget) => void;
}

export type RingResult = { ok: true; channel: Channel; target: DialTarget } | ({ ok: false } & DialFailure);

export function ringAll(sw: Switch, targets: readonly DialTarget[], o: RingOptions): Promise<RingResult> {
  const lost = new AbortController();
  const onAbort = (): void => lost.abort('ORIGINATOR_CANCEL');
  o.signal.addEventListener('abort', onAbort, { once: true });
  let winner: RingResult | undefined;
  let best: DialFailure | undefined;
  return new Promise<RingResult>((resolve) => {
    let pending = targets.length;
    const settle = (): void => {
      if (--pending > 0 || winner) return;
      o.signal.removeEventListener('abort', onAbort);
      resolve({ ok: false, ...(best ?? { cause: 'NORMAL_TEMPORARY_FAILURE' }) });
    };
    for (const target of targets) {
      const uuid = newUuid();
      const options: OriginateOptions = {
        uuid,
        parent: o.parent,
        destination: target.destination,
        callerId: { number: target.fromUser ?? o.callerId.number, name: o.callerId.name },
        timeoutMs: o.timeoutMs,
        headers: { ...o.headers, ...target.headers },
        variables: target.variables,
        ...(target.auth ? { auth: target.auth } : {}),
        signal: lost.signal,
        ...(o.onLeg ? { onChannel: (ch: Channel) => o.onLeg!(ch, target) } : {}),
      };
      void sw.originate(target.target, options).then((r) => {
        if (r.ok) {
          if (winner || o.signal.aborted) {
            void r.channel.hangup(winner ? 'LOSE_RACE' : 'ORIGINATOR_CANCEL');
          } else {
            winner = { ok: true, channel: r.channel, target };
            lost.abort('LOSE_RACE');
            o.signal.removeEventListener('abort', onAbort);
            resolve(winner);
          }
        } else {
          const f: DialFailure = { cause: r.cause, sipStatus: r.sipStatus, callSid: r.uuid ?? uuid };
          if (!best || failureRank(failureStatus(f).status) > failureRank(failureStatus(best).status)) best = f;
        }
        settle();
      });
    }
  });
}
