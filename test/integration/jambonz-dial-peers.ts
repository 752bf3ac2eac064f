/**
 * Shared set-up of the in-dialog dial tests (jambonz-hold, jambonz-refer, jambonz-dial-early-listen):
 * the server, a webhook application answering by path, a caller placing calls with its own RTP port
 * (so it can re-offer hold), and a callee whose behaviour is chosen by the Request-URI user:
 * `answer` (180, 200 after 100 ms) or `early` (183 with SDP and 900 ms of a 700 Hz tone as early
 * media, then 200 after 1 s with no more audio).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { Dialog, IncomingInvite } from '../../src/sip/index.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { createSessionManager, makeRequestorFactory, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { TestPhone, offerSdp, PhoneCall, type ReceivedRtp } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { readBody, type Hit } from '../support/http-body.ts';

export const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

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
  manager!: ReturnType<typeof createSessionManager>;
  #web!: HttpServer;
  #unroute: () => void = () => {};

  async start(): Promise<void> {
    this.srv = await startTestServer();
    this.caller = await TestPhone.start();
    this.callee = await TestPhone.start();
    this.callee.stack.handle({ onInvite: (invite) => this.#onInvite(invite) });
    this.#web = createServer((req, res) => {
      void readBody(req).then((text) => {
        const path = req.url ?? '/';
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(text || '{}') as Record<string, unknown>; } catch { body = {}; }
        this.hits.push({ path, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(path === '/call' ? this.app : this.replies.get(path) ?? []));
      });
    });
    await new Promise<void>((resolve) => this.#web.listen(0, '127.0.0.1', resolve));
    const addr = this.#web.address();
    this.base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    this.manager = createSessionManager({
      sw: this.srv.server.sw, catalog: this.srv.server.jambonz!.catalog, log: silentLogger(),
      requestorFactory: makeRequestorFactory(), validate: validateVerbs,
    });
    const account = this.srv.server.jambonz!.account;
    const application: JambonzApplication = {
      application_sid: 'dialog-app', account_sid: account.account_sid, name: 'dialog', call_hook: `${this.base}/call`, call_status_hook: `${this.base}/status`,
    };
    this.#unroute = this.srv.server.sw.router.register({ number: 'jz-dialog', priority: 1000 }, (channel) => this.manager.startInbound(channel, application, account));
  }

  async close(): Promise<void> {
    this.#unroute();
    await this.manager.close();
    await this.caller.close();
    await this.callee.close();
    await this.srv.close();
    await new Promise<void>((resolve) => this.#web.close(() => resolve()));
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
    await waitIdle(this.srv.server, until);
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
