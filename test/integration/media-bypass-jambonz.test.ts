/**
 * jambonz media path over real SIP: a WebSocket application (`@jambonz/node-client-ws`) dials a second
 * phone with `exitMediaPath: true`, so once bridged the phones send RTP to each other and the server's
 * ports are free; `media:path full-media` brings the media back through the server, REST `media_path`
 * `no-media` releases it again (202), a bad value is refused (400), a call without a dial gets
 * `jambonz:error` / 422, and `anchorMedia` keeps media anchored. Registries empty after each call.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestPhone } from '../support/test-phone.ts';
import { startJambonz, until, type JambonzFixture, type WsApp } from '../support/jambonz-fixture.ts';
import { FollowingCall, answerFollowing, audioBothWays } from './media-bypass-phones.ts';

describe('jambonz dial exitMediaPath and media:path', () => {
  let fx: JambonzFixture;
  let caller: TestPhone;
  let callee: TestPhone;
  const answered: FollowingCall[] = [];
  let ws: WsApp;
  let dial: Record<string, unknown> = {};

  before(async () => {
    fx = await startJambonz();
    caller = await fx.phone();
    callee = await fx.phone();
    answerFollowing(callee, answered);
    ws = fx.wsApp('/ws', (s) => {
      s.answer().dial({ target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }], ...dial }).send();
    });
    fx.route('jz-bypass', { application_sid: 'ws-bypass', name: 'ws-bypass', call_hook: ws.url });
  });

  after(() => fx.close());

  const reset = (verb: Record<string, unknown>): void => {
    dial = verb;
    answered.length = 0;
    ws.sessions.length = 0;
    ws.errors.length = 0;
  };

  test('exitMediaPath: media leaves once bridged; media:path full-media and REST media_path move it', async () => {
    reset({ exitMediaPath: true });
    const r = await caller.call(fx.srv.uri('jz-bypass'));
    assert.ok(r.ok);
    const a = new FollowingCall(r.call);
    await until('bridged', () => fx.srv.server.sw.bridges().length === 1 && answered.length === 1 && ws.sessions.length === 1);
    const b = answered[0]!;
    const app = ws.sessions[0]!;
    const bridge = fx.srv.server.sw.bridges()[0]!;
    await until('media released', () => bridge.mediaPath === 'bypassed' && fx.srv.server.media.portsInUse === 0);
    assert.equal(a.call.remote.port, b.localPort);
    assert.equal(b.call.remote.port, a.localPort);
    await audioBothWays(a.call, b.call, 0x11, 0x22);

    app.injectCommand('media:path', 'full-media');
    await until('anchored again', () => bridge.mediaPath === 'anchored' && a.call.remote.port !== b.localPort && b.call.remote.port !== a.localPort);
    assert.ok(fx.srv.server.media.portsInUse > 0);
    await audioBothWays(a.call, b.call, 0x33, 0x44);

    const live = fx.manager.get(app.call_sid);
    assert.ok(live);
    assert.equal((await live.update({ media_path: 'no-media' })).status, 202);
    assert.equal(bridge.mediaPath, 'bypassed');
    assert.equal(a.call.remote.port, b.localPort);
    assert.equal((await live.update({ media_path: 'no-media' })).status, 202, 'already released');
    assert.equal((await live.update({ media_path: 'sideways' })).status, 400);
    assert.equal((await live.update({ media_path: { media_path: 'partial-media' } })).status, 202);
    assert.equal(bridge.mediaPath, 'anchored', 'partial media: relayed by the server');

    assert.equal(ws.errors.length, 0);

    await a.call.hangup();
    await until('the callee gets BYE', () => b.call.dialog.state === 'terminated');
    await fx.idle();
  });

  test('anchorMedia with exitMediaPath keeps the media; media:path on a call without a dial is an error', async () => {
    reset({ exitMediaPath: true, anchorMedia: true });
    const r = await caller.call(fx.srv.uri('jz-bypass'));
    assert.ok(r.ok);
    await until('bridged', () => fx.srv.server.sw.bridges().length === 1 && answered.length === 1 && ws.sessions.length === 1);
    const bridge = fx.srv.server.sw.bridges()[0]!;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(bridge.mediaPath, 'anchored');
    assert.ok(fx.srv.server.media.portsInUse > 0);
    const b = answered[0]!;
    await b.call.hangup();
    await until('caller session idle after the dial', () => fx.srv.server.sw.bridges().length === 0);
    const live = fx.manager.get(ws.sessions[0]!.call_sid);
    assert.ok(live);
    assert.equal((await live.update({ media_path: 'no-media' })).status, 422);
    ws.sessions[0]!.injectCommand('media:path', 'no-media');
    await until('jambonz:error for a call without a dial', () => ws.errors.length === 1);
    assert.equal(ws.errors[0]!['command'], 'media:path');
    await r.call.hangup();
    await fx.idle();
  });
});
