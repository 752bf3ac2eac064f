/**
 * Dialplan applications beyond the core table of apps.ts (specs/esl.md §6), registered on the AppRunner
 * by the mount: read, play_and_get_digits, transfer, sched_hangup, wait_for_answer, break, hold,
 * unhold, multiset, log, info, event, displace_session, stop_displace_session, start_dtmf, stop_dtmf,
 * record_session, stop_record_session, sched_transfer, set_global, push, unshift, queue_dtmf, flush_dtmf,
 * endless_playback, gentones, respond, redirect, deflect; and speak (speak-app.ts) and say
 * (say-app.ts), which need the server's TTS, detect_speech / play_and_detect_speech
 * (detect-speech-apps.ts), which need its recognizer, and limit (limit-app.ts), with its counters.
 */
import type { AppFn } from '../apps.ts';
import {
  breakApp, eventApp, holdApp, info, logApp, multiset, schedHangupApp, schedTransferApp, transferApp, unholdApp, waitForAnswer,
} from './control-apps.ts';
import { flushDtmf, queueDtmf } from './dtmf-queue-apps.ts';
import { recordSession, stopRecordSession } from './record-session-apps.ts';
import { deflect, redirectApp, respond } from './signalling-apps.ts';
import { endlessPlayback, gentones } from './tone-apps.ts';
import { push, setGlobal, unshift } from './variable-apps.ts';
import { displaceSession, startDtmf, stopDisplaceSession, stopDtmf } from './media-apps.ts';
import { playAndGetDigits, read } from './read-apps.ts';

export { speakApp, type SpeechRequest, type Synthesize } from './speak-app.ts';
export { sayApp } from './say-app.ts';
export { detectSpeechApp, playAndDetectSpeechApp } from './detect-speech-apps.ts';
export { limitApp } from './limit-app.ts';

export const MORE_APPS: Readonly<Record<string, AppFn>> = {
  read, play_and_get_digits: playAndGetDigits, transfer: transferApp, sched_hangup: schedHangupApp,
  wait_for_answer: waitForAnswer, break: breakApp, hold: holdApp, unhold: unholdApp, multiset, log: logApp, info, event: eventApp,
  displace_session: displaceSession, stop_displace_session: stopDisplaceSession, start_dtmf: startDtmf, stop_dtmf: stopDtmf,
  record_session: recordSession, stop_record_session: stopRecordSession, sched_transfer: schedTransferApp,
  set_global: setGlobal, push, unshift, queue_dtmf: queueDtmf, flush_dtmf: flushDtmf,
  endless_playback: endlessPlayback, gentones, respond, redirect: redirectApp, deflect,
};
