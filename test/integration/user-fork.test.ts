/**
 * Calling a demo user registered from two phones at once (two contacts of one AOR) through the running
 * server: every contact rings in parallel; the first 2xx wins and the other branch gets CANCEL; when both
 * answer together the loser is ACKed and BYEd; when both refuse, the caller gets the best final status
 * of RFC 3261 section 16.7. After each call the registries are empty and the RTP ports are back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { RegistrationClient, type Dialog, type IncomingInvite } from '../../src/sip/index.ts';
import { systemClock } from '../../src/lib/index.ts';
import { TestPhone, offerSdp } from '../support/test-phone.ts';
import { startTestServer, type TestServer, waitIdle } from '../support/test-server.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> => waitUntil(what, check, ms, 20);

type Behaviour = (invite: IncomingInvite, answerSdp: string) => void;

/** A phone registered as `user` whose INVITEs are handled by the current behaviour. */
class ForkPhone {
  readonly invites: IncomingInvite[] = [];
  readonly dialogs: Dialog[] = [];
  readonly rtp: Socket;
  rtpIn = 0;
  behaviour: Behaviour = () => undefined;
  private constructor(readonly phone: TestPhone, readonly client: RegistrationClient, rtp: Socket) {
    this.rtp = rtp;
  }

  static async start(srv: TestServer, user: string): Promise<ForkPhone> {
    const phone = await TestPhone.start();
    const rtp = createSocket('udp4');
    await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', () => resolve()));
    const client = new RegistrationClient({
      send: (req) => phone.stack.request(req),
      clock: systemClock,
      registrar: `sip:127.0.0.1:${srv.port}`,
      aor: `sip:${user}@${srv.server.config.sip.domain}`,
      contact: `<sip:${user}@127.0.0.1:${phone.port}>`,
      credentials: { username: user, password: srv.server.users.find((u) => u.username === user)!.password },
      expires: 300,
    });
    const fp = new ForkPhone(phone, client, rtp);
    rtp.on('message', () => fp.rtpIn++);
    phone.stack.handle({
      onInvite: (invite) => {
        fp.invites.push(invite);
        fp.behaviour(invite, offerSdp(rtp.address().port));
      },
    });
    const registered = new Promise<void>((resolve, reject) => {
      client.once('registered', () => resolve());
      client.once('failed', (e) => reject(new Error(`REGISTER failed: ${e.status ?? ''} ${e.reason}`)));
    });
    client.start();
    await registered;
    return fp;
  }

  answer(invite: IncomingInvite, sdp: string): void {
    invite.accept({ body: sdp, contentType: 'application/sdp' }).then((d) => this.dialogs.push(d), () => undefined);
  }

  async close(): Promise<void> {
    await this.client.stop();
    this.rtp.close();
    await this.phone.close();
  }
}

describe('user/N rings every registered contact (parallel fork)', () => {
  let srv: TestServer;
  let caller: TestPhone;
  let a: ForkPhone;
  let b: ForkPhone;
  before(async () => {
    srv = await startTestServer();
    caller = await TestPhone.start();
    a = await ForkPhone.start(srv, '1001');
    b = await ForkPhone.start(srv, '1001');
  });
  after(async () => {
    await a.close();
    await b.close();
    await caller.close();
    assert.equal((await srv.server.registrar.bindings()).length, 0, 'no binding left after unregistering');
    await srv.close();
  });

  const idle = (): Promise<void> => waitIdle(srv.server, until);

  test('both contacts are registered and both ring; the first 2xx wins, the other branch gets CANCEL', async () => {
    assert.equal((await srv.server.registrar.bindings()).length, 2);
    const cancelled: string[] = [];
    a.behaviour = (invite, sdp) => {
      invite.progress(180);
      setTimeout(() => a.answer(invite, sdp), 150);
    };
    b.behaviour = (invite) => {
      invite.progress(180);
      invite.on('cancel', () => cancelled.push(invite.callId));
    };
    const r = await caller.call(srv.uri('1001'));
    assert.ok(r.ok, 'the caller is answered');
    assert.equal(a.invites.length, 1);
    assert.equal(b.invites.length, 1, 'the second contact rang too');
    await until('CANCEL at the losing phone', () => cancelled.length === 1);
    assert.equal(b.invites[0]!.state, 'cancelled');
    await until('bridge', () => srv.server.sw.bridges().length === 1);
    await r.call.sendTone(440, 300);
    await until('audio at the winning phone', () => a.rtpIn > 5);
    assert.equal(b.rtpIn, 0, 'the losing phone got no media');
    await r.call.hangup();
    await until('the winner is hung up', () => a.dialogs[0]?.state === 'terminated');
    await idle();
    a.invites.length = 0;
    b.invites.length = 0;
    a.dialogs.length = 0;
  });

  test('both answer at once: one call is bridged, the other 2xx is ACKed and ended with BYE', async () => {
    a.behaviour = (invite, sdp) => a.answer(invite, sdp);
    b.behaviour = (invite, sdp) => b.answer(invite, sdp);
    const r = await caller.call(srv.uri('1001'));
    assert.ok(r.ok);
    await until('both phones answered', () => a.dialogs.length + b.dialogs.length === 2);
    await until('the losing branch is ended', () => [...a.dialogs, ...b.dialogs].filter((d) => d.state === 'terminated').length === 1);
    const live = [...a.dialogs, ...b.dialogs].filter((d) => d.state !== 'terminated');
    assert.equal(live.length, 1, 'exactly one callee dialog stays up');
    await until('bridge', () => srv.server.sw.bridges().length === 1);
    await r.call.hangup();
    await until('the winner is hung up', () => live[0]!.state === 'terminated');
    await idle();
    a.dialogs.length = 0;
    b.dialogs.length = 0;
  });

  test('every branch fails: 6xx beats 4xx; otherwise the best 4xx (486 before 404)', async () => {
    a.behaviour = (invite) => invite.reject(486);
    b.behaviour = (invite) => setTimeout(() => invite.reject(603), 50);
    const declined = await caller.call(srv.uri('1001'));
    assert.equal(declined.ok, false);
    if (!declined.ok) assert.equal(declined.status, 603);
    await idle();
    a.behaviour = (invite) => invite.reject(486);
    b.behaviour = (invite) => setTimeout(() => invite.reject(404), 50);
    const busy = await caller.call(srv.uri('1001'));
    assert.equal(busy.ok, false);
    if (!busy.ok) assert.equal(busy.status, 486);
    await idle();
    await srv.server.sw.flushCdrs();
    const cdrs = await srv.server.cdrs.list({});
    assert.ok(cdrs.some((c) => c.hangupCause === 'USER_BUSY'), 'a USER_BUSY record');
    assert.ok(cdrs.some((c) => c.hangupCause === 'CALL_REJECTED'), 'a CALL_REJECTED record');
  });

  test('the caller gives up while both ring: both branches get CANCEL', async () => {
    let cancels = 0;
    for (const p of [a, b]) {
      p.behaviour = (invite) => {
        invite.progress(180);
        invite.on('cancel', () => cancels++);
      };
    }
    const invite = caller.stack.invite({
      uri: srv.uri('1001'), from: `<sip:phone@127.0.0.1:${caller.port}>`, body: offerSdp(4010), contentType: 'application/sdp',
    });
    await until('both phones ring', () => a.invites.at(-1)?.state === 'pending' && b.invites.at(-1)?.state === 'pending');
    await sleep(50);
    invite.cancel();
    const result = await invite.result;
    assert.equal(result.ok, false);
    await until('both branches cancelled', () => cancels === 2);
    await idle();
  });
});
