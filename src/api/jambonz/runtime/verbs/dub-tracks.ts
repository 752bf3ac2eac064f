/**
 * The `dub` tracks of a call (specs/jambonz.md §3.B `dub`): named tracks of extra audio mixed into what
 * the caller hears, over the other party or a playing prompt, several at once. A track is added with
 * `addTrack` (optionally playing or saying something at once), plays one thing at a time (`playOnTrack`
 * and `sayOnTrack` replace what it played; `loop` repeats until `silenceTrack`), and lives until
 * `removeTrack` or the end of the call. Actions return once the audio starts (synthesis done), not when
 * it ends; a play that fails later is reported with a `jambonz:error` and a log line.
 */
import { errorMessage } from '../../../../lib/index.ts';
import type { ChannelMedia, MediaOverlayTrack, MediaPlayback } from '../../../../core/index.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { VerbData } from '../verb-data.ts';
import type { DubRequest } from './dub-request.ts';
import type { VerbServices } from './verb.ts';

interface TrackEntry {
  readonly track: MediaOverlayTrack;
  playback: MediaPlayback | undefined;
}

const byMedia = new WeakMap<ChannelMedia, Map<string, TrackEntry>>();

/** Names of the dub tracks of a leg's media. */
export function dubTracksOf(media: ChannelMedia): string[] {
  return [...(byMedia.get(media)?.keys() ?? [])];
}

/** Applies one dub action to the session's call; throws RuntimeError (bad state, unknown track, no TTS). */
export async function applyDub(s: VerbServices, request: DubRequest, verb: VerbData = { verb: 'dub' }, signal?: AbortSignal): Promise<void> {
  const media = s.channel.media;
  if (s.channel.ended || !media) throw new RuntimeError('JAMBONZ_CALL_STATE', 'dub: the call has no media');
  if (!media.addTrack) throw new RuntimeError('JAMBONZ_UNSUPPORTED', 'dub: this leg\'s media cannot mix tracks');
  let tracks = byMedia.get(media);
  if (!tracks) {
    tracks = new Map();
    byMedia.set(media, tracks);
  }
  const name = request.track;
  const existing = tracks.get(name);
  if (request.action === 'addTrack') {
    const entry = existing ?? { track: media.addTrack(name), playback: undefined };
    tracks.set(name, entry);
    if (request.play) play(s, entry, request.play, request, verb);
    else if (request.say) await say(s, media, entry, request, verb, signal);
    return;
  }
  if (!existing) throw new RuntimeError('JAMBONZ_CALL_STATE', `dub: no track ${name} (addTrack first)`);
  switch (request.action) {
    case 'removeTrack':
      existing.playback?.stop();
      existing.track.close();
      tracks.delete(name);
      return;
    case 'silenceTrack':
      existing.playback?.stop();
      existing.playback = undefined;
      existing.track.silence();
      return;
    case 'playOnTrack':
      play(s, existing, request.play!, request, verb);
      return;
    case 'sayOnTrack':
      await say(s, media, existing, request, verb, signal);
      return;
  }
}

function play(s: VerbServices, entry: TrackEntry, source: string, request: DubRequest, verb: VerbData): void {
  entry.playback?.stop();
  const playback = entry.track.play(source, { loops: request.loops, gainDb: request.gainDb });
  entry.playback = playback;
  s.log.info({ track: request.track, source, loops: request.loops, gainDb: request.gainDb }, 'dub: playing on track');
  void playback.done.then((outcome) => {
    if (entry.playback === playback) entry.playback = undefined;
    if (outcome.status !== 'failed') return;
    s.log.warn({ track: request.track, source, err: outcome.error }, 'dub: track playback failed');
    s.notifyError({ msg: 'dub failed', details: `track ${request.track}: ${outcome.error ?? 'playback failed'}` }, verb);
  });
}

async function say(s: VerbServices, media: ChannelMedia, entry: TrackEntry, request: DubRequest, verb: VerbData, signal?: AbortSignal): Promise<void> {
  const text = request.say!;
  if (!s.synthesizer) throw new RuntimeError('JAMBONZ_UNSUPPORTED', 'dub: no speech synthesizer is configured');
  let source: string;
  try {
    const r = await s.synthesizer.synthesize(text.text, { ...s.settings.synthesizer, ...(text.synthesizer ?? {}) }, {
      disableCache: s.settings.disableTtsCache ?? false,
      ...(media.sampleRate ? { sampleRate: media.sampleRate } : {}),
      ...(signal ? { signal } : {}),
    });
    source = r.source;
  } catch (err) {
    throw new RuntimeError('JAMBONZ_CALL_STATE', `dub: speech synthesis failed: ${errorMessage(err)}`);
  }
  // The track may have been removed, or the call ended, while the text was synthesized.
  if (s.channel.ended || signal?.aborted || byMedia.get(media)?.get(request.track) !== entry) return;
  play(s, entry, source, request, verb);
}
