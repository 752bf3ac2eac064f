/**
 * The jambonz call runtime with a WebSocket application written with `@jambonz/node-client-ws`, over a
 * real SIP call from the test phone: the app answers and leaves the stack empty, the call stays up
 * idle (§1.7), then a `command: redirect` (the SDK's send()) wakes it to say and hang up. A second call
 * checks queueCommand: a queued say waits behind the running one, an immediate redirect kills it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestPhone } from '../support/test-phone.ts';
import { sleep } from '../support/wait.ts';
import { startJambonz, until, type JambonzFixture, type WsSession } from '../support/jambonz-fixture.ts';
import { EspeakTtsProvider, TtsCache } from '../../src/speech/index.ts';
import { synthesizerFrom } from '../../src/api/jambonz/runtime/index.ts';

describe('jambonz runtime over SIP with a @jambonz/node-client-ws application', () => {
  let fx: JambonzFixture;
  let phone: TestPhone;
  let ttsDir = '';
  const sessions: WsSession[] = [];
  const statuses: string[] = [];
  let onNew: (s: WsSession) => void = () => {};

  before(async () => {
    ttsDir = mkdtempSync(join(tmpdir(), 'sb-tts-'));
    fx = await startJambonz({ manager: { tts: synthesizerFrom(new TtsCache(new EspeakTtsProvider(), { dir: ttsDir })) } });
    phone = await fx.phone();
    const url = fx.ws('/ws', (s) => {
      sessions.push(s);
      s.on('call:status', (evt: { call_status: string }) => statuses.push(evt.call_status));
      onNew(s);
    });
    fx.route('jz-ws', { application_sid: 'ws-app', name: 'ws', call_hook: url });
  });

  after(async () => {
    await fx.close();
    rmSync(ttsDir, { recursive: true, force: true });
  });

  const idle = (): Promise<void> => fx.idle();
  const live = () => fx.manager.session(sessions.at(-1)?.call_sid ?? '');

  test('an empty stack keeps the call up; a redirect command wakes it to speak and hang up', async () => {
    statuses.length = 0;
    onNew = (s) => s.answer().send();
    const r = await phone.call(fx.srv.uri('jz-ws'));
    assert.ok(r.ok, 'answered');
    await until('the session to idle', () => live() !== undefined && live()!.currentVerb === undefined && live()!.pending.length === 0);
    await sleep(300);
    assert.notEqual(r.call.dialog.state, 'terminated', 'still up while idle');
    const before = r.call.received.length;
    sessions.at(-1)!.say({ text: 'Still there?' }).hangup().send();
    await until('speech after the command', () => r.call.receivedLevel(before) > 200);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
    await until('completed over the socket', () => statuses.includes('completed'));
    assert.deepEqual(statuses.filter((s) => s !== 'completed'), ['trying', 'in-progress']);
  });

  test('queueCommand true appends behind the running verb; false replaces it', async () => {
    onNew = (s) => s.pause({ length: 30 }).send();
    // pause does not answer: the INVITE stays pending until the app answers
    const calling = phone.call(fx.srv.uri('jz-ws'));
    await until('the session to start its pause', () => live()?.currentVerb === 'pause');
    const s = sessions.at(-1)!;
    s.say({ text: 'queued' }).send({ execImmediate: false });
    await until('the queued verb', () => live()!.pending.some((v) => v.verb === 'say'));
    assert.equal(live()!.currentVerb, 'pause', 'the pause goes on');
    s.answer().pause({ length: 30 }).send({ execImmediate: true });
    const r = await calling;
    assert.ok(r.ok, 'answered by the replacing app');
    await until('the new pause', () => live()?.currentVerb === 'pause' && live()!.pending.length === 0);
    assert.equal(live()!.pending.some((v) => v.verb === 'say'), false, 'the queued say was replaced');
    s.hangup().send();
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
  });
});
