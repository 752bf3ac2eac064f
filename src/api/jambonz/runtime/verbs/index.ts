/** The verb table: every verb name the runtime knows, with its handler (DESIGN.md house style 6). */
import { alert } from './alert.ts';
import { answer } from './answer.ts';
import { conference } from './conference.ts';
import { config } from './config.ts';
import { dequeue } from './dequeue.ts';
import { dial } from './dial.ts';
import { enqueue } from './enqueue.ts';
import { dtmf } from './dtmf.ts';
import { dub } from './dub.ts';
import { gather } from './gather.ts';
import { hangup } from './hangup.ts';
import { leave } from './leave.ts';
import { listen } from './listen.ts';
import { pause } from './pause.ts';
import { play } from './play.ts';
import { redirect } from './redirect.ts';
import { say } from './say.ts';
import { sipDecline } from './sip-decline.ts';
import { sipRefer } from './sip-refer.ts';
import { sipRequest } from './sip-request.ts';
import { tag } from './tag.ts';
import { transcribe } from './transcribe.ts';
import { UNSUPPORTED_VERBS, unsupportedVerb } from './unsupported.ts';
import type { VerbHandler } from './verb.ts';

export const VERBS: ReadonlyMap<string, VerbHandler> = new Map<string, VerbHandler>([
  ...[alert, answer, conference, config, dequeue, dial, dtmf, enqueue, gather, hangup, leave, listen, pause, play, redirect, say, sipDecline, sipRefer, sipRequest, tag, transcribe]
    .map((h): [string, VerbHandler] => [h.name, h]),
  ...UNSUPPORTED_VERBS.map((name): [string, VerbHandler] => [name, unsupportedVerb(name)]),
  [dub.name, dub],
]);

export { UNSUPPORTED_VERBS } from './unsupported.ts';
export { applyDub, dubTracksOf } from './dub-tracks.ts';
export { dubRequestOf, decibelsOf, type DubRequest } from './dub-request.ts';
export { applyConfig } from './config.ts';
export { collect, gatherPayload, type GatherOutcome } from './gather.ts';
export { speak } from './say.ts';
export { playUrls } from './play.ts';
export { sendSipRequest, type SipRequestData, type SipRequestOutcome } from './sip-request.ts';
export { hookOf, sleep, type BargeInOptions, type Precondition, type SessionSettings, type VerbContext, type VerbHandler, type VerbServices } from './verb.ts';
