/**
 * The listen/stream audio socket protocol (specs/jambonz.md §3.C, the original's mod_audio_fork): the
 * first text frame (call info in camelCase with `sampleRate`, `mixType` and the verb's `metadata`
 * merged at top level), DTMF text frames (`{event:'dtmf', dtmf, duration}` in RTP timestamp units), the
 * frames sent back (`playDone`, `mark` with `playout` / `cleared`) and the parser of the application's
 * text frames (`playAudio`, `killAudio`, `disconnect`, `mark`, `clearMarks`, and the accepted but unused
 * `transcription`, `transfer`, `error`, `json`). Pure: no sockets, no timers.
 */
import { z } from 'zod';

export type MixType = 'mono' | 'mixed' | 'stereo';

/** The rates the protocol allows for audio in both directions (§3.A `sampleRate`). */
export const LISTEN_RATES: readonly number[] = [8000, 16000, 24000, 32000, 48000, 64000];

/** `call_sid` -> `callSid`; keys without underscores are kept. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** The first frame: call info (snake_case keys from CallInfo.toJSON) camelCased, metadata merged last. */
export function metadataFrame(
  callInfo: Record<string, unknown>,
  audio: { sampleRate: number; mixType: MixType },
  metadata: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { sampleRate: audio.sampleRate, mixType: audio.mixType };
  for (const [k, v] of Object.entries(callInfo)) out[camelCase(k)] = v;
  if (metadata) Object.assign(out, metadata);
  return out;
}

/** A DTMF frame (`passDtmf`): duration in RTP timestamp units at 8 kHz, as a string. */
export function dtmfFrame(digit: string, durationMs: number): Record<string, unknown> {
  return { event: 'dtmf', dtmf: digit, duration: String(Math.round(durationMs * 8)) };
}

export function playDoneFrame(id: string | undefined, result: Record<string, unknown>): Record<string, unknown> {
  return { type: 'playDone', data: { ...(id !== undefined ? { id } : {}), ...result } };
}

export function markFrame(name: string, event: 'playout' | 'cleared'): Record<string, unknown> {
  return { type: 'mark', data: { name, event } };
}

const playAudioData = z.object({
  audioContent: z.string().min(1),
  audioContentType: z.enum(['raw', 'wav', 'wave']).default('raw'),
  sampleRate: z.coerce.number().int().optional(),
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  queuePlay: z.boolean().optional(),
}).passthrough();

const appFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('playAudio'), data: playAudioData }),
  z.object({ type: z.literal('killAudio') }).passthrough(),
  z.object({ type: z.literal('disconnect') }).passthrough(),
  z.object({ type: z.literal('mark'), data: z.object({ name: z.string().min(1) }).passthrough() }),
  z.object({ type: z.literal('clearMarks') }).passthrough(),
  z.object({ type: z.literal('transcription'), data: z.unknown().optional() }).passthrough(),
  z.object({ type: z.literal('transfer'), data: z.unknown().optional() }).passthrough(),
  z.object({ type: z.literal('error'), data: z.unknown().optional() }).passthrough(),
  z.object({ type: z.literal('json'), data: z.unknown().optional() }).passthrough(),
]);

export type PlayAudioRequest = z.infer<typeof playAudioData>;
export type AppFrame = z.infer<typeof appFrame>;
export type ParsedFrame = { ok: true; frame: AppFrame } | { ok: false; error: string };

/** Parses one text frame from the application. */
export function parseAppFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'text frame is not JSON' };
  }
  const r = appFrame.safeParse(value);
  if (!r.success) {
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    return { ok: false, error: typeof type === 'string' ? `bad ${type} frame: ${r.error.issues[0]?.message ?? 'invalid'}` : 'text frame has no known type' };
  }
  return { ok: true, frame: r.data };
}
