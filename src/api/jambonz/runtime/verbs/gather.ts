/**
 * `gather` (specs/jambonz.md §3.A, §2.4): collects digits and/or speech, with an optional nested `say`
 * or `play` prompt. Digits follow digit-collector.ts; a digit kills the prompt when `dtmfBargein` is on
 * (default when digits are collected) and is collected in any case; DTMF beats speech (the first digit
 * stops the recognizer). Speech goes through the injected recognizer: partial transcripts restart the
 * timeout, kill the prompt with `bargein`, and go to `partialResultHook`; a final transcript resolves.
 * `timeout` (15 s, 0 = none) starts when the prompt ends. The actionHook gets `reason` `dtmfDetected`
 * (+ `digits`), `speechDetected` (+ `speech`), `stt-low-confidence` (+ `speech`, under
 * `recognizer.minConfidence`), `timeout`, or `error` (+ `details`); a killed gather
 * calls no hook. Without a recognizer, speech input resolves `error` at once.
 */
import { DigitCollector } from '../digit-collector.ts';
import type { RecognitionStream, SpeechResult } from '../speech.ts';
import { asBoolean, asNumber, asRecord, asString, type VerbData } from '../verb-data.ts';
import { playUrls } from './play.ts';
import { speak } from './say.ts';
import { hookOf, type VerbContext, type VerbHandler, type VerbServices } from './verb.ts';

export type GatherOutcome =
  | { reason: 'dtmfDetected'; digits: string }
  | { reason: 'speechDetected'; speech: SpeechResult }
  | { reason: 'stt-low-confidence'; speech: SpeechResult }
  | { reason: 'timeout' }
  | { reason: 'error'; details: string }
  | { reason: 'killed' };

export interface GatherOptions {
  /** Background gather (config.bargeIn): default input speech, no timeout. */
  background?: boolean;
}

function inputsOf(value: unknown, background: boolean): Set<string> {
  const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return new Set(list.length > 0 ? list : [background ? 'speech' : 'digits']);
}

/** Runs the collection; resolves once with the outcome (never rejects). */
export function collect(s: VerbServices, verb: VerbData, signal: AbortSignal, options: GatherOptions = {}): Promise<GatherOutcome> {
  const inputs = inputsOf(verb['input'], options.background === true);
  const wantDigits = inputs.has('digits');
  const wantSpeech = inputs.has('speech');
  const timeoutSecs = asNumber(verb['timeout']);
  const timeoutMs = options.background ? (timeoutSecs ?? 0) * 1000 : timeoutSecs === 0 ? 0 : (timeoutSecs ?? 15) * 1000;
  const dtmfBargein = asBoolean(verb['dtmfBargein']) ?? wantDigits;
  const bargein = asBoolean(verb['bargein']) ?? false;
  const sayData = asRecord(verb['say']);
  const playData = asRecord(verb['play']);
  const hasPrompt = sayData !== undefined || playData !== undefined;
  const listenDuringPrompt = hasPrompt && (asBoolean(verb['listenDuringPrompt']) ?? true);
  const partialHook = hookOf(verb['partialResultHook']);
  const minBargeinWords = asNumber(verb['minBargeinWordCount']) ?? 1;
  const minConfidence = asNumber(asRecord(verb['recognizer'])?.['minConfidence']) ?? asNumber(s.settings.recognizer['minConfidence']);
  const collector = new DigitCollector({
    minDigits: asNumber(verb['minDigits']) ?? 1,
    interDigitTimeoutMs: (asNumber(verb['interDigitTimeout']) ?? 0) * 1000,
    ...(asNumber(verb['numDigits']) !== undefined ? { numDigits: asNumber(verb['numDigits'])! } : {}),
    ...(asNumber(verb['maxDigits']) !== undefined ? { maxDigits: asNumber(verb['maxDigits'])! } : {}),
    ...(asString(verb['finishOnKey']) !== undefined ? { finishOnKey: asString(verb['finishOnKey'])! } : {}),
  });

  return new Promise<GatherOutcome>((resolve) => {
    const cleanups: (() => void)[] = [];
    const prompt = new AbortController();
    let promptDone = !hasPrompt;
    let done = false;
    let timer: { cancel(): void } | undefined;
    let interDigit: { cancel(): void } | undefined;
    let stream: RecognitionStream | undefined;

    const finish = (outcome: GatherOutcome): void => {
      if (done) return;
      done = true;
      timer?.cancel();
      interDigit?.cancel();
      stream?.close();
      prompt.abort();
      for (const c of cleanups.splice(0)) c();
      resolve(outcome);
    };
    const stopPrompt = (): void => {
      if (!promptDone) prompt.abort();
    };
    const startTimer = (): void => {
      timer?.cancel();
      if (timeoutMs <= 0 || done) return;
      timer = s.clock.setTimeout(() => {
        if (interDigit) return;
        finish(collector.onTimeout());
      }, timeoutMs);
    };

    if (signal.aborted) return finish({ reason: 'killed' });
    const onAbort = (): void => finish({ reason: 'killed' });
    signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onAbort));
    cleanups.push(s.channel.on('hangup', () => finish({ reason: 'killed' })));

    if (wantSpeech && !s.recognizer) {
      s.log.warn('gather: speech input requested but no speech recognizer is configured');
      return finish({ reason: 'error', details: 'no speech recognizer is configured' });
    }

    const onTranscript = (result: SpeechResult): void => {
      if (done) return;
      const words = (result.alternatives[0]?.transcript ?? '').trim().split(/\s+/).filter(Boolean).length;
      if (result.is_final) {
        if (words === 0) return;
        const confidence = result.alternatives[0]?.confidence ?? 1;
        const low = minConfidence !== undefined && confidence < minConfidence;
        finish({ reason: low ? 'stt-low-confidence' : 'speechDetected', speech: result });
        return;
      }
      if (words === 0) return;
      if (timer) startTimer();
      if (bargein && words >= minBargeinWords && !promptDone) {
        s.notifyStatus({ event: 'speech-bargein-detected', transcript: result.alternatives[0]?.transcript ?? '' }, verb);
        stopPrompt();
      }
      if (partialHook) s.notifyHook(partialHook, { speech: result }, verb);
    };
    const startRecognizer = (): void => {
      if (!wantSpeech || stream || done || !s.recognizer) return;
      const settings = { ...s.settings.recognizer, ...(asRecord(verb['recognizer']) ?? {}) };
      try {
        stream = s.recognizer.start(s.channel, settings, {
          transcript: onTranscript,
          error: (message) => {
            s.log.warn({ err: message }, 'gather: speech recognizer failed');
            s.notifyError({ msg: 'ASR error', details: message }, verb);
            finish({ reason: 'error', details: message });
          },
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        s.log.warn({ err: message }, 'gather: speech recognizer could not start');
        finish({ reason: 'error', details: message });
      }
    };
    const startListening = (): void => {
      if (done) return;
      startTimer();
      startRecognizer();
    };

    cleanups.push(s.channel.on('dtmf', ({ digit }) => {
      if (done) return;
      interDigit?.cancel();
      interDigit = undefined;
      if (dtmfBargein && !promptDone) {
        s.notifyStatus({ event: 'dtmf-bargein-detected', dtmf: digit }, verb);
        stopPrompt();
      }
      if (!wantDigits) return;
      if (stream && collector.digits.length === 0) {
        stream.close();
        stream = undefined;
      }
      const step = collector.push(digit);
      if (step.done) {
        finish({ reason: 'dtmfDetected', digits: collector.digits });
        return;
      }
      if (step.startInterDigitTimer) {
        interDigit = s.clock.setTimeout(() => {
          interDigit = undefined;
          finish({ reason: 'dtmfDetected', digits: collector.digits });
        }, collector.rules.interDigitTimeoutMs);
      }
    }));

    if (hasPrompt) {
      if (listenDuringPrompt) startRecognizer();
      const run = sayData !== undefined
        ? speak(s, { ...sayData, verb: 'say' }, prompt.signal)
        : playUrls(s, { ...playData, verb: 'play' }, prompt.signal);
      void Promise.resolve(run).catch((err: unknown) => s.log.warn({ err }, 'gather: prompt failed')).finally(() => {
        promptDone = true;
        startListening();
      });
    } else {
      startListening();
    }
  });
}

/** The actionHook payload of an outcome (§2.4 wire names). */
export function gatherPayload(outcome: Exclude<GatherOutcome, { reason: 'killed' }>): Record<string, unknown> {
  switch (outcome.reason) {
    case 'dtmfDetected': return { reason: 'dtmfDetected', digits: outcome.digits };
    case 'speechDetected': return { reason: 'speechDetected', speech: outcome.speech };
    case 'stt-low-confidence': return { reason: 'stt-low-confidence', speech: outcome.speech };
    case 'error': return { reason: 'error', details: outcome.details };
    default: return { reason: 'timeout' };
  }
}

export const gather: VerbHandler = {
  name: 'gather',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    const outcome = await collect(ctx.services, ctx.verb, ctx.signal);
    if (outcome.reason === 'killed' || ctx.services.channel.ended) return;
    await ctx.services.performAction(hookOf(ctx.verb['actionHook']), gatherPayload(outcome), ctx.verb);
  },
};
