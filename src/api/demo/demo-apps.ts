/**
 * The built-in demo applications, in the spirit of FreeSWITCH's default dialplan test extensions
 * (9196 echo, 9198 tone, record-and-playback, conferences): each answers the call and runs until the
 * caller hangs up. They use only the call core.
 */
import { join } from 'node:path';
import type { Channel, RouteContext, Switch } from '../../core/index.ts';
import { hangupOf } from './call-waits.ts';

/** A steady 440 Hz tone (TGML: 1 s on, no pause, repeated forever). */
export const DEMO_TONE = 'tone_stream://%(1000,0,440);loops=-1';
/** The beep before recording. */
export const DEMO_BEEP = 'tone_stream://%(250,0,1000)';
/** Longest demo recording. */
export const RECORD_LIMIT_MS = 30_000;

export async function echoApp(channel: Channel, ctx: RouteContext): Promise<void> {
  const answered = await channel.answer();
  if (!answered.ok) return;
  const echo = channel.echo(true);
  if (!echo.ok) ctx.log.warn({ err: echo.error.message }, 'echo could not start');
  await hangupOf(channel);
}

export async function toneApp(channel: Channel): Promise<void> {
  const answered = await channel.answer();
  if (!answered.ok) return;
  channel.play(DEMO_TONE, { loops: 0 });
  await hangupOf(channel);
}

export async function recordApp(channel: Channel, ctx: RouteContext, recordingsDir: string): Promise<void> {
  const answered = await channel.answer();
  if (!answered.ok) return;
  await channel.play(DEMO_BEEP).done;
  if (channel.ended) return;
  const path = join(recordingsDir, `${channel.uuid}.wav`);
  const outcome = await channel.record(path, { maxDurationMs: RECORD_LIMIT_MS, terminators: '#', direction: 'in' }).done;
  ctx.log.info({ path, status: outcome.status, reason: outcome.reason, durationMs: outcome.durationMs }, 'demo recording ended');
  channel.setVariable('demo_recording', path);
  if (channel.ended) return;
  if (outcome.status !== 'failed' && outcome.durationMs > 0) await channel.play(path).done;
  if (!channel.ended) await channel.hangup('NORMAL_CLEARING');
}

export async function conferenceApp(channel: Channel, ctx: RouteContext, sw: Switch, name: string): Promise<void> {
  const answered = await channel.answer();
  if (!answered.ok) return;
  const joined = sw.joinConference(channel, name);
  if (!joined.ok) {
    ctx.log.warn({ err: joined.error.message, conference: name }, 'conference join failed');
    await channel.hangup('NORMAL_TEMPORARY_FAILURE');
    return;
  }
  await hangupOf(channel);
}

/** Calls a registered user and bridges the caller to them once they answer. */
export async function userApp(channel: Channel, ctx: RouteContext, sw: Switch, user: string): Promise<void> {
  const cancel = new AbortController();
  const off = channel.on('hangup', () => cancel.abort());
  void channel.ringing();
  const result = await sw.originate(`user/${user}`, {
    parent: channel,
    callerId: channel.caller,
    destination: user,
    signal: cancel.signal,
    timeoutMs: 30_000,
  });
  off();
  if (!result.ok) {
    ctx.log.info({ user, cause: result.cause, sipStatus: result.sipStatus }, 'user call failed');
    if (!channel.ended) await channel.hangup(result.cause, result.sipStatus === undefined ? {} : { sipStatus: result.sipStatus });
    return;
  }
  const callee = result.channel;
  if (channel.ended) {
    await callee.hangup('ORIGINATOR_CANCEL');
    return;
  }
  const answered = await channel.answer();
  if (!answered.ok || channel.ended) {
    await callee.hangup('NORMAL_CLEARING');
    return;
  }
  const bridged = sw.bridge(channel, callee);
  if (!bridged.ok) {
    ctx.log.warn({ err: bridged.error.message }, 'bridge failed');
    await Promise.all([channel.hangup('NORMAL_TEMPORARY_FAILURE'), callee.hangup('NORMAL_TEMPORARY_FAILURE')]);
    return;
  }
  await hangupOf(channel);
}
