/**
 * Shared set-up of the in-dialog dial tests (jambonz-hold, jambonz-refer, jambonz-dial-early-listen):
 * the server, a webhook application answering by path, a caller placing calls with its own RTP port
 * (so it can re-offer hold), and a callee whose behaviour is chosen by the Request-URI user:
 * `answer` (180, 200 after 100 ms) or `early` (183 with SDP and 900 ms of a 700 Hz tone as early
 * media, then 200 after 1 s with no more audio).
 */
import type { Dialog, IncomingInvite } from '../../src/sip/index.ts';
import { offerSdp, PhoneCall, type ReceivedRtp, type TestPhone } from '../support/test-phone.ts';
import type { TestServer } from '../support/test-server.ts';
import { jsonWebhook, startJambonz, until, type JambonzFixture } from '../support/jambonz-fixture.ts';
import type { Hit } from '../support/http-body.ts';

export { until };

/** SDP of `port` with another direction attribute (hold: sendonly). */
export const sdpWith = (port: number, direction: string): string => offerSdp(port).replace('a=sendrecv', `a=${direction}`);

export interface PlacedCall {
  call: PhoneCall;
  /** The caller's RTP port (for re-offers). */
  port: number;
  /** Provisional statuses received before the answer, with whether they carried SDP. */
  provisionals: { status: number; sdp: boolean }[];
}

export interface CalleeCall {
  user: string;
  call: PhoneCall;
  port: number;
  answeredAt: number;
}

export class Peers {
  readonly hits: Hit[] = [];
  readonly replies = new Map<string, unknown>();
  readonly calleeCalls: CalleeCall[] = [];
  app: unknown[] = [];
  base = '';
  srv!: TestServer;
  caller!: TestPhone;
  callee!: TestPhone;
  manager!: JambonzFixture['manager'];
  #fx: JambonzFixture | undefined;

  async start(): Promise<void> {
    const fx = await startJambonz({
      webhook: jsonWebhook((hit, res) => {
        this.hits.push(hit);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(hit.path === '/call' ? this.app : this.replies.get(hit.path) ?? []));
      }),
    });
    this.#fx = fx;
    this.srv = fx.srv;
    this.manager = fx.manager;
    this.base = fx.base;
    this.caller = await fx.phone();
    this.callee = await fx.phone();
    this.callee.stack.handle({ onInvite: (invite) => this.#onInvite(invite) });
    fx.route('jz-dialog', { application_sid: 'dialog-app', name: 'dialog', call_hook: fx.hook('/call'), call_status_hook: fx.hook('/status') });
  }

  async close(): Promise<void> {
    await this.#fx?.close();
  }

  reset(verbs: unknown[]): void {
    this.hits.length = 0;
    this.calleeCalls.length = 0;
    this.replies.clear();
    this.app = verbs;
  }

  hit(path: string): Record<string, unknown> | undefined {
    return this.hits.find((h) => h.path === path)?.body;
  }

  calleeUri(user: string): string {
    return `sip:${user}@127.0.0.1:${this.callee.port}`;
  }

  async idle(): Promise<void> {
    await this.#fx?.idle();
    await until('sessions gone', () => this.manager.size === 0);
    await until('no dial left', () => this.manager.dials.size === 0);
  }

  /** Calls the application; resolves once answered. */
  async place(): Promise<PlacedCall> {
    const received: ReceivedRtp[] = [];
    const { socket, port } = await this.caller.rtpSocket(received);
    const provisionals: { status: number; sdp: boolean }[] = [];
    const invite = this.caller.stack.invite({
      uri: this.srv.uri('jz-dialog'), from: `<sip:phone@127.0.0.1:${this.caller.port}>`, body: offerSdp(port), contentType: 'application/sdp',
    });
    invite.on('progress', (p) => provisionals.push({ status: p.status, sdp: (p.body?.body.length ?? 0) > 0 }));
    const result = await invite.result;
    if (!result.ok) throw new Error(`the call failed with ${result.status}`);
    const sdp = result.response.body.toString('utf8');
    const remote = { address: /c=IN IP4 ([0-9.]+)/.exec(sdp)?.[1] ?? '127.0.0.1', port: Number(/m=audio (\d+)/.exec(sdp)?.[1] ?? 0) };
    return { call: new PhoneCall(result.dialog, remote, socket, received), port, provisionals };
  }

  #onInvite(invite: IncomingInvite): void {
    const user = /^sips?:([^@]+)@/.exec(invite.request.uri)?.[1] ?? '';
    const received: ReceivedRtp[] = [];
    void this.callee.rtpSocket(received).then(async ({ socket, port }) => {
      const offer = invite.offer?.body.toString('utf8') ?? '';
      const remote = { address: /c=IN IP4 ([0-9.]+)/.exec(offer)?.[1] ?? '127.0.0.1', port: Number(/m=audio (\d+)/.exec(offer)?.[1] ?? 0) };
      const answer = { body: offerSdp(port), contentType: 'application/sdp' };
      if (user === 'early') {
        invite.progress(183, answer);
        // Early media goes out before any dialog exists: the sender needs only the socket and the address.
        const early = new PhoneCall(undefined as unknown as Dialog, remote, socket, received);
        await early.sendTone(700, 900);
        await new Promise((r) => setTimeout(r, 100));
      } else {
        invite.progress(180);
        await new Promise((r) => setTimeout(r, 100));
      }
      if (invite.state !== 'pending') return;
      const dialog = await invite.accept(answer);
      this.calleeCalls.push({ user, call: new PhoneCall(dialog, remote, socket, received), port, answeredAt: Date.now() });
    }).catch(() => undefined);
  }
}
