/**
 * `config` (specs/jambonz.md §3.A): session defaults. Applied: `synthesizer`, `recognizer` (merged over
 * the current ones), `reset` ('synthesizer' / 'recognizer' or an array: back to the application's
 * defaults), `notifyEvents`, `bargeIn` (a background gather, session-barge-in.ts),
 * `actionHookDelayAction` (action-hook-delay.ts) and `disableTtsCache`. Stored for later use:
 * `onHoldMusic`, `sipRequestWithinDialogHook`, `referHook`. `listen`/`stream` and `record`: background
 * audio fork and call recording (listen/config-features.ts). `transcribe`: background transcription
 * (transcribe/). `boostAudioSignal`: a gain on what the caller hears (audio-boost.ts; answers the call
 * first). `fillerNoise`: noise while the app keeps the caller waiting (filler-noise.ts). `amd`, `ttsStream`:
 * not available yet, each reported with a
 * `jambonz:error` while the rest of the verb still applies. */
import { configBoost } from '../audio-boost.ts';
import { fillerNoiseOf } from '../filler-noise.ts';
import { configListen, configRecord } from '../listen/index.ts';
import { configTranscribe } from '../transcribe/index.ts';
import { asBoolean, asRecord, asString, type VerbData } from '../verb-data.ts';
import { hookOf, type VerbContext, type VerbHandler, type VerbServices } from './verb.ts';

const NOT_YET = ['amd', 'ttsStream', 'dub'] as const;

/** Applies config properties to the session (the verb and the `config` command). */
export function applyConfig(s: VerbServices, verb: VerbData): void {
  const reset = verb['reset'];
  const resets = Array.isArray(reset) ? reset : reset === undefined ? [] : [reset];
  for (const r of resets) {
    if (r === 'synthesizer' || r === 'recognizer') s.resetSpeech(r);
  }
  const synthesizer = asRecord(verb['synthesizer']);
  if (synthesizer) Object.assign(s.settings.synthesizer, synthesizer);
  const recognizer = asRecord(verb['recognizer']);
  if (recognizer) Object.assign(s.settings.recognizer, recognizer);
  const notify = asBoolean(verb['notifyEvents']);
  if (notify !== undefined) s.settings.notifyEvents = notify;
  const music = asString(verb['onHoldMusic']);
  if (music !== undefined) s.settings.onHoldMusic = music;
  const dialogHook = hookOf(verb['sipRequestWithinDialogHook']);
  if (dialogHook) s.settings.sipRequestWithinDialogHook = dialogHook;
  const referHook = hookOf(verb['referHook']);
  if (referHook) s.settings.referHook = referHook;
  const delay = asRecord(verb['actionHookDelayAction']);
  if (delay) s.settings.actionHookDelayAction = delay;
  const noCache = asBoolean(verb['disableTtsCache']);
  if (noCache !== undefined) s.settings.disableTtsCache = noCache;
  const bargeIn = asRecord(verb['bargeIn']);
  if (bargeIn) {
    const { enable, sticky, ...rest } = bargeIn;
    s.setBargeIn({ enable: enable === true, sticky: sticky === true, data: { ...rest, verb: 'gather' } });
  }
  const listen = asRecord(verb['listen']) ?? asRecord(verb['stream']);
  if (listen) configListen(s, listen, verb);
  const record = asRecord(verb['record']);
  if (record) configRecord(s, record, verb);
  const transcribe = asRecord(verb['transcribe']);
  if (transcribe) configTranscribe(s, transcribe, verb);
  if (verb['boostAudioSignal'] !== undefined) configBoost(s, verb['boostAudioSignal'], verb);
  const filler = asRecord(verb['fillerNoise']);
  if (filler) configFillerNoise(s, filler, verb);
  for (const key of NOT_YET) {
    const value = asRecord(verb[key]);
    if (value && value['enable'] !== false) {
      s.notifyError({ msg: 'unsupported config', details: `config.${key} is not supported by this server yet` }, verb);
    }
  }
}

/** `config.fillerNoise`: on with a url (startDelaySecs kept), off with `enable: false`. */
function configFillerNoise(s: VerbServices, data: Record<string, unknown>, verb: VerbData): void {
  if (data['enable'] === false) {
    delete s.settings.fillerNoise;
    return;
  }
  const filler = fillerNoiseOf(data);
  if (filler) s.settings.fillerNoise = filler;
  else s.notifyError({ msg: 'invalid config', details: 'config.fillerNoise needs a url' }, verb);
}

export const config: VerbHandler = {
  name: 'config',
  precondition: 'none',
  async exec(ctx: VerbContext): Promise<void> {
    applyConfig(ctx.services, ctx.verb);
  },
};
