/**
 * The `dial` verb over real SIP: a test phone calls the server, a webhook application dials targets on
 * a second SIP stack (the callee) whose behaviour is chosen by the Request-URI user: `answer` (180 then
 * 200), `slow` (answers after 600 ms), `busy` (486), `ring` (180, never answers), `auth` (401 until the
 * INVITE carries credentials, then 200). Checked: audio both ways through the bridge, caller id and
 * custom headers on the B leg's INVITE, the exact actionHook payloads for answer / busy / no-answer /
 * timeLimit, simultaneous ring with the second target answering (the first gets CANCEL), a confirmHook
 * that hangs up (call screening rejects), answerOnBridge (the caller gets its 200 only after the callee
 * answered), a phone target through a carrier with digest auth, dtmfCapture -> dtmfHook, a target
 * answering garbage SDP (`failed`, no crash), a `user` target registered with the server's registrar
 * with dialMusic heard while it rings, a bad target, and registries empty after every call.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistrationClient, type Dialog, type IncomingInvite, type SipRequest } from '../../src/sip/index.ts';
import { systemClock } from '../../src/lib/index.ts';
import { carrierDirectory } from '../../src/api/jambonz/runtime/dial/carrier-directory.ts';
import { TestPhone, offerSdp, PhoneCall, type ReceivedRtp } from '../support/test-phone.ts';
import { sendPacedTone, sendRfc4733 } from '../support/phone-audio.ts';
import { jsonWebhook, startJambonz, until, type JambonzFixture } from '../support/jambonz-fixture.ts';
import type { Hit } from '../support/http-body.ts';

/** The far end of the dials: one SIP stack whose behaviour depends on the Request-URI user. */
class Callee {
  readonly invites: SipRequest[] = [];
  readonly calls: { user: string; call: PhoneCall; answeredAt: number }[] = [];
  readonly cancelled: string[] = [];
  /** Dialogs answered with a broken SDP body. */
  readonly garbage: Dialog[] = [];
  private constructor(readonly phone: TestPhone) {}

  static async start(): Promise<Callee> {
    const phone = await TestPhone.start();
    const callee = new Callee(phone);
    phone.stack.handle({ onInvite: (invite) => callee.#onInvite(invite) });
    return callee;
  }

  get port(): number { return this.phone.port; }
  uri(user: string): string { return `sip:${user}@127.0.0.1:${this.phone.port}`; }

  #onInvite(invite: IncomingInvite): void {
    this.invites.push(invite.request);
    const user = /^sips?:([^@]+)@/.exec(invite.request.uri)?.[1] ?? '';
    invite.on('cancel', () => this.cancelled.push(user));
    if (user === 'busy') return invite.reject(486);
    if (user.startsWith('auth') && !invite.request.headers.get('authorization')) {
      return invite.reject(401, 'Unauthorized', { 'WWW-Authenticate': 'Digest realm="carrier.test", nonce="abc123", algorithm=MD5, qop="auth"' });
    }
    if (user === 'garbage') {
      void invite.accept({ body: 'v=0\r\nthis is not sdp\r\n', contentType: 'application/sdp' }).then((dialog) => {
        this.garbage.push(dialog);
      }).catch(() => undefined);
      return;
    }
    invite.progress(180);
    if (user === 'ring') return;
    const delay = user === 'slow' ? 600 : 100;
    const received: ReceivedRtp[] = [];
    setTimeout(() => {
      if (invite.state !== 'pending') return;
      void this.phone.rtpSocket(received).then(async ({ socket, port }) => {
        const offer = invite.offer?.body.toString('utf8') ?? '';
        const remote = { address: /c=IN IP4 ([0-9.]+)/.exec(offer)?.[1] ?? '127.0.0.1', port: Number(/m=audio (\d+)/.exec(offer)?.[1] ?? 0) };
        const dialog = await invite.accept({ body: offerSdp(port), contentType: 'application/sdp' });
        this.calls.push({ user, call: new PhoneCall(dialog, remote, socket, received), answeredAt: Date.now() });
      }).catch(() => undefined);
    }, delay);
  }

  close(): Promise<void> { return this.phone.close(); }
}

describe('jambonz dial over SIP', () => {
  let fx: JambonzFixture;
  let caller: TestPhone;
  let callee: Callee;
  const hits: Hit[] = [];
  /** The verbs the call hook answers with. */
  let app: unknown[] = [];
  /** Replies by path (default []). */
  const replies = new Map<string, unknown>();

  before(async () => {
    callee = await Callee.start();
    const carrierPort = callee.port;
    fx = await startJambonz({
      webhook: jsonWebhook((hit, res) => {
        hits.push(hit);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(hit.path === '/call' ? app : replies.get(hit.path) ?? []));
      }),
      manager: {
        carriers: carrierDirectory([{ name: 'trunk-a', host: `127.0.0.1:${carrierPort}`, username: 'carrier-user', password: 'carrier-pass', prefix: 'auth' }]),
      },
    });
    caller = await fx.phone();
    fx.route('jz-dial', { application_sid: 'dial-app', name: 'dial', call_hook: fx.hook('/call'), call_status_hook: fx.hook('/status') });
  });

  after(async () => {
    await fx.close();
    await callee.close();
  });

  const idle = async (): Promise<void> => {
    await fx.idle();
    await until('sessions gone', () => fx.manager.size === 0);
    assert.equal(fx.manager.dials.size, 0, 'no dial left');
  };
  const hit = (path: string): Record<string, unknown> | undefined => hits.find((h) => h.path === path)?.body;
  const reset = (verbs: unknown[]): void => {
    hits.length = 0;
    callee.invites.length = 0;
    callee.calls.length = 0;
    callee.cancelled.length = 0;
    replies.clear();
    app = verbs;
  };

  test('answered: audio both ways, caller id and headers on the B leg, timeLimit ends the dial, actionHook completed', async () => {
    reset([{
      verb: 'dial', target: [{ type: 'sip', sipUri: callee.uri('answer') }], actionHook: '/dial-done', callerId: '+15550001',
      callerName: 'Front Desk', headers: { 'X-Dial-Test': 'yes' }, timeLimit: 2,
    }]);
    replies.set('/dial-done', [{ verb: 'hangup' }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    assert.ok(r.ok, 'the caller is answered');
    await until('the callee answered', () => callee.calls.length === 1);
    const b = callee.calls[0]!.call;
    const invite = callee.invites[0]!;
    assert.equal(invite.headers.get('x-dial-test'), 'yes');
    assert.match(invite.headers.get('from') ?? '', /"Front Desk" <sip:\+15550001@/);
    void sendPacedTone(r.call, 440, { ms: 800 });
    void sendPacedTone(b, 1000, { ms: 800 });
    await until('the callee hears the caller', () => b.receivedLevel() > 500);
    await until('the caller hears the callee', () => r.call.receivedLevel() > 500);
    await until('BYE to the callee at the time limit', () => b.dialog.state === 'terminated', 5000);
    await until('the actionHook', () => hit('/dial-done') !== undefined);
    const done = hit('/dial-done')!;
    assert.equal(done['dial_call_status'], 'completed');
    assert.equal(done['dial_sip_status'], 200);
    assert.equal(typeof done['dial_call_sid'], 'string');
    assert.equal(done['dial_sbc_callid'], invite.callId);
    await until('BYE to the caller (hangup reply)', () => r.call.dialog.state === 'terminated');
    await idle();
    await until('the B leg\'s final status', () => hits.some((h) => h.path === '/status' && h.body['call_sid'] === done['dial_call_sid'] && h.body['call_status'] === 'completed'));
    const bStatuses = hits.filter((h) => h.path === '/status' && h.body['call_sid'] === done['dial_call_sid']);
    // Webhook notifications are separate HTTP requests: the first two may arrive in either order.
    assert.deepEqual(bStatuses.map((h) => h.body['call_status']).sort(), ['completed', 'in-progress', 'ringing', 'trying']);
    assert.equal(bStatuses.at(-1)!.body['call_status'], 'completed');
    assert.ok(bStatuses.every((h) => h.body['direction'] === 'outbound' && typeof h.body['parent_call_sid'] === 'string'));
  });

  test('busy target: dial_call_status busy, dial_sip_status 486; the caller goes on with the reply', async () => {
    reset([{ verb: 'dial', target: [{ type: 'sip', sipUri: callee.uri('busy') }], actionHook: '/dial-done' }]);
    replies.set('/dial-done', [{ verb: 'hangup' }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    assert.ok(r.ok);
    await until('the actionHook', () => hit('/dial-done') !== undefined);
    assert.deepEqual(
      { status: hit('/dial-done')!['dial_call_status'], sip: hit('/dial-done')!['dial_sip_status'] },
      { status: 'busy', sip: 486 },
    );
    await until('the B leg reported busy', () => hits.some((h) => h.path === '/status' && h.body['parent_call_sid'] !== undefined && h.body['call_status'] === 'busy'));
    await until('BYE to the caller', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('nobody answers within timeout: no-answer, 487, the target is cancelled', async () => {
    reset([{ verb: 'dial', target: [{ type: 'sip', sipUri: callee.uri('ring') }], timeout: 1, actionHook: '/dial-done' }]);
    replies.set('/dial-done', [{ verb: 'hangup' }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    assert.ok(r.ok);
    await until('the actionHook', () => hit('/dial-done') !== undefined, 5000);
    assert.equal(hit('/dial-done')!['dial_call_status'], 'no-answer');
    assert.equal(hit('/dial-done')!['dial_sip_status'], 487);
    await until('CANCEL at the callee', () => callee.cancelled.includes('ring'));
    await until('BYE to the caller', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('simultaneous ring: the second target answers, the first is cancelled; caller hangup ends the B leg', async () => {
    reset([{
      verb: 'dial', target: [{ type: 'sip', sipUri: callee.uri('ring') }, { type: 'sip', sipUri: callee.uri('slow') }], actionHook: '/dial-done',
    }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    assert.ok(r.ok);
    await until('both targets invited', () => callee.invites.length === 2);
    await until('the slow target answered', () => callee.calls.length === 1);
    assert.equal(callee.calls[0]!.user, 'slow');
    await until('CANCEL to the ringing target', () => callee.cancelled.includes('ring'));
    await r.call.hangup();
    await until('BYE to the B leg', () => callee.calls[0]!.call.dialog.state === 'terminated');
    await idle();
  });

  test('confirmHook hangs up: the screened call is rejected (failed, 603) and the callee gets BYE', async () => {
    reset([{
      verb: 'dial', target: [{ type: 'sip', sipUri: callee.uri('answer'), confirmHook: '/confirm' }], actionHook: '/dial-done',
    }]);
    replies.set('/confirm', [{ verb: 'pause', length: 0.2 }, { verb: 'hangup' }]);
    replies.set('/dial-done', [{ verb: 'hangup' }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    assert.ok(r.ok);
    await until('the callee answered', () => callee.calls.length === 1);
    await until('the actionHook', () => hit('/dial-done') !== undefined);
    const confirm = hit('/confirm')!;
    assert.equal(confirm['direction'], 'outbound');
    assert.equal(typeof confirm['parent_call_sid'], 'string');
    assert.equal(hit('/dial-done')!['dial_call_status'], 'failed');
    assert.equal(hit('/dial-done')!['dial_sip_status'], 603);
    await until('BYE to the callee', () => callee.calls[0]!.call.dialog.state === 'terminated');
    await until('BYE to the caller', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('answerOnBridge: the caller is answered only after the callee', async () => {
    reset([{ verb: 'dial', answerOnBridge: true, target: [{ type: 'sip', sipUri: callee.uri('slow') }] }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    const answeredAt = Date.now();
    assert.ok(r.ok);
    assert.equal(callee.calls.length, 1, 'the callee answered first');
    assert.ok(callee.calls[0]!.answeredAt <= answeredAt);
    await callee.calls[0]!.call.hangup();
    await until('BYE to the caller (webhook app, stack ended)', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('phone target through a carrier: number prefixed, digest credentials answered; dtmfCapture -> dtmfHook', async () => {
    reset([{
      verb: 'dial', target: [{ type: 'phone', number: '+15557654321' }], dtmfCapture: ['*1'], dtmfHook: '/dtmf', actionHook: '/dial-done',
    }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    assert.ok(r.ok);
    await until('the carrier answered', () => callee.calls.length === 1);
    assert.equal(callee.invites.length, 2, 'challenged once, then sent with credentials');
    assert.match(callee.invites[0]!.uri, /^sip:auth15557654321@/);
    assert.match(callee.invites[1]!.headers.get('authorization') ?? '', /username="carrier-user"/);
    await sendRfc4733(r.call, 10, { ms: 100 });
    await new Promise((res) => setTimeout(res, 120));
    await sendRfc4733(r.call, 1, { ms: 100 });
    await until('the dtmfHook', () => hit('/dtmf') !== undefined);
    assert.equal(hit('/dtmf')!['dtmf'], '*1');
    await callee.calls[0]!.call.hangup();
    await until('the actionHook', () => hit('/dial-done') !== undefined);
    assert.equal(hit('/dial-done')!['dial_call_status'], 'completed');
    await until('BYE to the caller', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('a target answering garbage SDP fails the dial (failed), the leg is hung up, nothing crashes', async () => {
    reset([{ verb: 'dial', target: [{ type: 'sip', sipUri: callee.uri('garbage') }], actionHook: '/dial-done' }]);
    replies.set('/dial-done', [{ verb: 'hangup' }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    assert.ok(r.ok);
    await until('the actionHook', () => hit('/dial-done') !== undefined);
    assert.equal(hit('/dial-done')!['dial_call_status'], 'failed');
    await until('the garbage leg is ended', () => callee.garbage[0]?.state === 'terminated');
    await until('BYE to the caller', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('user target: a phone registered as user 1001 rings and answers; dialMusic plays while ringing', async () => {
    const userPhone = await TestPhone.start();
    const answeredCalls: PhoneCall[] = [];
    const client = new RegistrationClient({
      send: (req) => userPhone.stack.request(req),
      clock: systemClock,
      registrar: `sip:127.0.0.1:${fx.srv.port}`,
      aor: `sip:1001@${fx.srv.server.config.sip.domain}`,
      contact: `<sip:1001@127.0.0.1:${userPhone.port}>`,
      credentials: { username: '1001', password: fx.srv.server.users.find((u) => u.username === '1001')!.password },
      expires: 300,
    });
    try {
      const registered = new Promise<void>((resolve, reject) => {
        client.once('registered', () => resolve());
        client.once('failed', (e) => reject(new Error(`REGISTER failed: ${e.status ?? ''} ${e.reason}`)));
      });
      client.start();
      await registered;
      const invites: string[] = [];
      userPhone.stack.handle({
        onInvite: (invite) => {
          invites.push(invite.request.uri);
          invite.progress(180);
          // Answer after a second, so the caller hears the dial music first.
          setTimeout(() => {
            void userPhone.rtpSocket([]).then(async ({ socket, port }) => {
              const offer = invite.offer?.body.toString('utf8') ?? '';
              const remote = { address: '127.0.0.1', port: Number(/m=audio (\d+)/.exec(offer)?.[1] ?? 0) };
              const dialog = await invite.accept({ body: offerSdp(port), contentType: 'application/sdp' });
              answeredCalls.push(new PhoneCall(dialog, remote, socket, []));
            });
          }, 1000);
        },
      });
      reset([{ verb: 'dial', target: [{ type: 'user', name: '1001' }], dialMusic: 'tone_stream://%(1000,0,500)', actionHook: '/dial-done' }]);
      replies.set('/dial-done', [{ verb: 'hangup' }]);
      const r = await caller.call(fx.srv.uri('jz-dial'));
      assert.ok(r.ok);
      await until('the caller hears the dial music', () => r.call.receivedLevel() > 500);
      assert.equal(answeredCalls.length, 0, 'music before the answer');
      await until('the registered user answered', () => answeredCalls.length === 1);
      assert.match(invites[0]!, new RegExp(`^sip:1001@127\\.0\\.0\\.1:${userPhone.port}`));
      await answeredCalls[0]!.hangup();
      await until('the actionHook', () => hit('/dial-done') !== undefined);
      assert.equal(hit('/dial-done')!['dial_call_status'], 'completed');
      await until('BYE to the caller', () => r.call.dialog.state === 'terminated');
      await idle();
    } finally {
      await client.stop();
      await userPhone.close();
    }
  });

  test('REST child_call_hook (relative): the B leg runs its own app from the hook, the dial completes', async () => {
    reset([{ verb: 'dial', target: [{ type: 'sip', sipUri: callee.uri('answer') }], actionHook: '/dial-done' }]);
    replies.set('/child', [{ verb: 'pause', length: 0.2 }, { verb: 'hangup' }]);
    replies.set('/dial-done', [{ verb: 'hangup' }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    assert.ok(r.ok);
    await until('bridged', () => fx.srv.server.sw.bridges().length === 1);
    const aSid = String(hit('/call')!['call_sid']);
    const live = fx.manager.get(aSid)!;
    assert.equal((await live.update({ child_call_hook: '/child' })).status, 202);
    await until('the child hook', () => hit('/child') !== undefined);
    assert.equal(hit('/child')!['parent_call_sid'], aSid);
    await until('BYE to the callee from its own app', () => callee.calls[0]!.call.dialog.state === 'terminated');
    await until('the actionHook', () => hit('/dial-done') !== undefined);
    assert.equal(hit('/dial-done')!['dial_call_status'], 'completed');
    await until('BYE to the caller', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('a bad target is an error, not a crash: the call goes on with the next verb', async () => {
    reset([{ verb: 'dial', target: [{ type: 'phone', number: '123', trunk: 'nowhere' }] }, { verb: 'hangup' }]);
    const r = await caller.call(fx.srv.uri('jz-dial'));
    assert.equal(r.ok, false, 'stack ended before any answer: rejected');
    await idle();
  });
});

