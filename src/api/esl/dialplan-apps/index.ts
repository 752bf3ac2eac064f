/**
 * Dialplan applications beyond the core table of apps.ts (specs/esl.md §6), registered on the AppRunner
 * by the mount: read, play_and_get_digits, transfer, sched_hangup, wait_for_answer, break, hold,
 * unhold, multiset, log, info, event, displace_session, stop_displace_session, start_dtmf, stop_dtmf;
 * and speak (speak-app.ts) and say (say-app.ts), which need the server's TTS.
 */
import type { AppFn } from '../apps.ts';
import {
  breakApp, eventApp, holdApp, info, logApp, multiset, schedHangupApp, transferApp, unholdApp, waitForAnswer,
} from './control-apps.ts';
import { displaceSession, startDtmf, stopDisplaceSession, stopDtmf } from './media-apps.ts';
import { playAndGetDigits, read } from './read-apps.ts';

export { speakApp, type SpeechRequest, type Synthesize } from './speak-app.ts';
export { sayApp } from './say-app.ts';

export const MORE_APPS: Readonly<Record<string, AppFn>> = {
  read, play_and_get_digits: playAndGetDigits, transfer: transferApp, sched_hangup: schedHangupApp,
  wait_for_answer: waitForAnswer, break: breakApp, hold: holdApp, unhold: unholdApp, multiset, log: logApp, info, event: eventApp,
  displace_session: displaceSession, stop_displace_session: stopDisplaceSession, start_dtmf: startDtmf, stop_dtmf: stopDtmf,
};
