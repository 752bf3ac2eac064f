/**
 * Reads `dub` data (the `dub` verb, the `dub` command and REST `dub`; specs/jambonz.md §3.B): `action`
 * addTrack | removeTrack | silenceTrack | playOnTrack | sayOnTrack, `track` (required), `play` (an audio
 * URL or file), `say` (text, or `{text, synthesizer}`), `loop` (true: until silenced; a count also
 * works, 0 = until silenced), `gain` (dB: a number or a string like `"-6 dB"`, -60..+30). Pure: no I/O.
 */
import type { SynthesizerSettings } from '../speech.ts';
import { asRecord } from '../verb-data.ts';

export const DUB_ACTIONS = ['addTrack', 'removeTrack', 'silenceTrack', 'playOnTrack', 'sayOnTrack'] as const;
export type DubAction = (typeof DUB_ACTIONS)[number];

export interface DubRequest {
  action: DubAction;
  track: string;
  play?: string;
  say?: { text: string; synthesizer?: SynthesizerSettings };
  /** Times to play: 0 = until silenced. */
  loops: number;
  gainDb: number;
}

export type DubParse = { ok: true; request: DubRequest } | { ok: false; error: string };

/** dB of the quietest and loudest track gain accepted. */
export const DUB_GAIN_DB = { min: -60, max: 30 } as const;

/** A gain in dB from a number or a string like `"-6 dB"`, `"+3dB"`, `"4"`; undefined when unusable. */
export function decibelsOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*(?:db)?\s*$/i.exec(value);
  return m ? Number(m[1]) : undefined;
}

function sayOf(value: unknown): DubRequest['say'] | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : { text: value };
  const r = asRecord(value);
  const text = r?.['text'];
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const synthesizer = asRecord(r?.['synthesizer']);
  return synthesizer ? { text, synthesizer } : { text };
}

function loopsOf(value: unknown): number | undefined {
  if (value === undefined || value === false) return 1;
  if (value === true) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  return undefined;
}

export function dubRequestOf(data: unknown): DubParse {
  const d = asRecord(data);
  if (!d) return { ok: false, error: 'dub data must be an object' };
  const action = d['action'];
  if (!(DUB_ACTIONS as readonly unknown[]).includes(action)) return { ok: false, error: `dub: action must be one of ${DUB_ACTIONS.join(', ')}` };
  const track = d['track'];
  if (typeof track !== 'string' || track.trim() === '') return { ok: false, error: 'dub: track is required' };
  const loops = loopsOf(d['loop']);
  if (loops === undefined) return { ok: false, error: 'dub: loop must be true, false or a count' };
  const gainDb = d['gain'] === undefined ? 0 : decibelsOf(d['gain']);
  if (gainDb === undefined || gainDb < DUB_GAIN_DB.min || gainDb > DUB_GAIN_DB.max) {
    return { ok: false, error: `dub: gain must be between ${DUB_GAIN_DB.min} and +${DUB_GAIN_DB.max} dB (a number or "<n> dB")` };
  }
  const request: DubRequest = { action: action as DubAction, track, loops, gainDb };
  if (d['play'] !== undefined) {
    if (typeof d['play'] !== 'string' || d['play'].trim() === '') return { ok: false, error: 'dub: play must be an audio URL' };
    request.play = d['play'].trim();
  }
  if (d['say'] !== undefined) {
    const say = sayOf(d['say']);
    if (!say) return { ok: false, error: 'dub: say must be text or {text, synthesizer}' };
    request.say = say;
  }
  if (request.action === 'playOnTrack' && !request.play) return { ok: false, error: 'dub: playOnTrack needs play' };
  if (request.action === 'sayOnTrack' && !request.say) return { ok: false, error: 'dub: sayOnTrack needs say' };
  return { ok: true, request };
}
