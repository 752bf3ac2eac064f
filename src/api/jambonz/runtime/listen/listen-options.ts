/**
 * The properties of `listen` / `stream` and `config.listen` (specs/jambonz.md §3.A, §3.C) as the audio
 * fork uses them: socket URL (relative URLs resolve against the application's base, http(s) becoming
 * ws(s)), `mixType` (mono), `sampleRate` (8000; 8k-64k), `metadata`, `wsAuth`, `finishOnKey`,
 * `maxLength` (s), `passDtmf`, `playBeep`, `bidirectionalAudio` {enabled (true), streaming (false),
 * sampleRate} and the deprecated `disableBidirectionalAudio`. Pure.
 */
import { RuntimeError } from '../runtime-error.ts';
import { asBoolean, asNumber, asRecord, asString } from '../verb-data.ts';
import { LISTEN_RATES, type MixType } from './audio-protocol.ts';

export interface ListenOptions {
  url: string;
  mixType: MixType;
  sampleRate: number;
  metadata: Record<string, unknown> | undefined;
  auth: { username: string; password: string } | undefined;
  finishOnKey: string | undefined;
  maxLengthMs: number | undefined;
  passDtmf: boolean;
  playBeep: boolean;
  /** playAudio frames are played (non-streaming bidirectional mode). */
  playAudio: boolean;
  /** Binary frames from the socket are played (streaming bidirectional mode), at `streamRate`. */
  streaming: boolean;
  streamRate: number;
}

function rateOf(value: unknown, fallback: number, what: string): number {
  const n = asNumber(value);
  if (n === undefined) return fallback;
  if (!LISTEN_RATES.includes(n)) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', `${what} must be one of ${LISTEN_RATES.join(', ')}`);
  return n;
}

/** Resolves a listen URL: absolute ws(s) kept, http(s) turned into ws(s), relative joined to `base`. */
export function resolveListenUrl(url: string, base: string | undefined): string {
  let resolved: URL;
  try {
    resolved = base ? new URL(url, base) : new URL(url);
  } catch {
    throw new RuntimeError('JAMBONZ_COMMAND_INVALID', `listen url ${url} is not usable${base ? '' : ' (relative, and no application base URL)'}`);
  }
  if (resolved.protocol === 'http:') resolved.protocol = 'ws:';
  else if (resolved.protocol === 'https:') resolved.protocol = 'wss:';
  if (resolved.protocol !== 'ws:' && resolved.protocol !== 'wss:') {
    throw new RuntimeError('JAMBONZ_COMMAND_INVALID', `listen url ${url} is not a ws(s) URL`);
  }
  return resolved.toString();
}

export function listenOptionsOf(data: Record<string, unknown>, base: string | undefined): ListenOptions {
  const url = asString(data['url']);
  if (!url) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'listen needs a url');
  const mix = data['mixType'] ?? 'mono';
  if (mix !== 'mono' && mix !== 'mixed' && mix !== 'stereo') throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'mixType must be mono, mixed or stereo');
  const sampleRate = rateOf(data['sampleRate'], 8000, 'sampleRate');
  const auth = asRecord(data['wsAuth']);
  const username = asString(auth?.['username']);
  const password = asString(auth?.['password']);
  const bidi = asRecord(data['bidirectionalAudio']);
  const enabled = data['disableBidirectionalAudio'] === true ? false : asBoolean(bidi?.['enabled']) ?? true;
  const streaming = enabled && bidi?.['streaming'] === true;
  const maxLength = asNumber(data['maxLength']);
  const finishOnKey = asString(data['finishOnKey']);
  return {
    url: resolveListenUrl(url, base),
    mixType: mix,
    sampleRate,
    metadata: asRecord(data['metadata']),
    auth: username !== undefined ? { username, password: password ?? '' } : undefined,
    finishOnKey: finishOnKey !== undefined && finishOnKey !== '' ? finishOnKey : undefined,
    maxLengthMs: maxLength !== undefined && maxLength > 0 ? maxLength * 1000 : undefined,
    passDtmf: data['passDtmf'] === true,
    playBeep: data['playBeep'] === true,
    playAudio: enabled && !streaming,
    streaming,
    streamRate: rateOf(bidi?.['sampleRate'], sampleRate, 'bidirectionalAudio.sampleRate'),
  };
}
