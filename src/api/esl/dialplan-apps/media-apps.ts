/**
 * Media applications (specs/esl.md §6): `displace_session <path> [<flags>] [+<ms>]` plays a file into
 * the leg in the background (flag `l` loops; `+<ms>` limits it) and returns at once;
 * `stop_displace_session <path>` stops it (`-ERR` when none). `start_dtmf` / `stop_dtmf` (in-band DTMF
 * detection): the media layer already detects in-band digits by itself whenever the far end did not
 * negotiate RFC 4733 telephone-events, and cannot be switched per call, so both are accepted and only
 * record the wish in the `inband_dtmf_requested` variable (`true` / `false`).
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
  ch.setVariable('inband_dtmf_requested', 'true');
  return '_none_';
};

export const stopDtmf: AppFn = async (ch) => {
  ch.setVariable('inband_dtmf_requested', 'false');
  return '_none_';
};
