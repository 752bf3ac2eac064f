/**
 * Media applications (specs/esl.md §6): `displace_session <path> [<flags>] [+<ms>]` plays a file into
 * the leg in the background (flag `l` loops; `+<ms>` limits it) and returns at once;
 * `stop_displace_session <path>` stops it (`-ERR` when none). `start_dtmf` / `stop_dtmf` switch the leg's
 * in-band (tone) DTMF detection on / off in its media (by default it runs only when the far end did not
 * negotiate RFC 4733 telephone-events); the `inband_dtmf_requested` variable keeps the last choice
 * (`true` / `false`). A leg whose media cannot be switched keeps the default.
 */
import type { AppFn } from '../apps.ts';

export const displaceSession: AppFn = async (ch, arg, runner) => {
  const [path, ...rest] = arg.trim().split(/\s+/).filter((w) => w !== '');
  if (!path) return '-ERR';
  const limit = rest.find((w) => w.startsWith('+'));
  const flags = rest.find((w) => !w.startsWith('+')) ?? '';
  const ms = limit === undefined ? 0 : Number.parseInt(limit.slice(1), 10);
  const ok = runner.displacements.start(ch, path, { ...(ms > 0 ? { limitMs: ms } : {}), ...(flags.includes('l') ? { loop: true } : {}) });
  return ok ? '_none_' : '-ERR';
};

export const stopDisplaceSession: AppFn = async (ch, arg, runner) =>
  (runner.displacements.stop(ch.uuid, arg.trim()) ? '_none_' : '-ERR');

export const startDtmf: AppFn = async (ch) => {
  ch.media?.setInbandDtmf?.('on');
  ch.setVariable('inband_dtmf_requested', 'true');
  return '_none_';
};

export const stopDtmf: AppFn = async (ch) => {
  ch.media?.setInbandDtmf?.('off');
  ch.setVariable('inband_dtmf_requested', 'false');
  return '_none_';
};
