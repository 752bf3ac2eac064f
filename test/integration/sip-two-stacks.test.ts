/**
 * Two SIP stacks on loopback place whole dialogs over UDP, TCP, TLS and WS: INVITE/ACK/BYE, CANCEL,
 * re-INVITE, REFER with NOTIFY, and REGISTER with digest authentication through the outbound
 * registration client. After each transport, both stacks' registries must be empty.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../support/ports.ts';
import { testCertificate } from '../support/tls-cert.ts';
import { ANSWER_SDP } from '../support/test-uas.ts';
import {
  DigestVerifier, MemoryBindingsStore, RegistrationClient, Registrar, SipStack, type IncomingInvite, type ListenerConfig,
  type TransportName,
} from '../../src/sip/index.ts';
import { silentLogger, systemClock } from '../../src/lib/index.ts';

const OFFER = ANSWER_SDP.replace('o=- 1 1', 'o=- 2 2');

function waitFor<T>(register: (resolve: (v: T) => void) => void, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out waiting')), ms);
    register((v) => {
      clearTimeout(t);
      resolve(v);
    });
  });
}

async function listener(transport: TransportName): Promise<ListenerConfig> {
  const port = await freePort();
  if (transport === 'tls') {
    const { cert, key } = testCertificate();
    return { transport, address: '127.0.0.1', port, cert, key };
  }
  return { transport, address: '127.0.0.1', port };
}

async function startStack(transport: TransportName): Promise<SipStack> {
  const { cert } = testCertificate();
  return SipStack.start({
    listeners: [await listener(transport)],
    logger: silentLogger(),
    // A short T1 and T4 so that Timers M, L (64*T1), K and I (T4) let transactions end within the test.
    t1: 20,
    t4: 50,
    transport: { tlsClient: { ca: cert } },
  });
}

for (const transport of ['udp', 'tcp', 'tls', 'ws'] as const) {
  describe(`two stacks over ${transport}`, () => {
    let a: SipStack;
    let b: SipStack;
    let bUri: string;
    const invites: IncomingInvite[] = [];
    let onInvite: (invite: IncomingInvite) => void = (invite) => void invite.accept({ body: ANSWER_SDP, contentType: 'application/sdp' });

    before(async () => {
      a = await startStack(transport);
      b = await startStack(transport);
      b.handle({ onInvite: (invite) => { invites.push(invite); onInvite(invite); } });
      const port = b.transports.listeners()[0]!.advertised.port;
      bUri = `sip:bob@127.0.0.1:${port}${transport === 'udp' ? '' : `;transport=${transport}`}`;
    });

    after(async () => {
      await a.close();
      await b.close();
    });

    test('INVITE/200/ACK, then BYE from the callee ends both sides', async () => {
      onInvite = (invite) => void invite.accept({ body: ANSWER_SDP, contentType: 'application/sdp' });
      const call = a.invite({ uri: bUri, from: '<sip:alice@127.0.0.1>', body: OFFER, contentType: 'application/sdp' });
      const result = await call.result;
      assert.ok(result.ok);
      assert.match(result.dialog.remoteSession?.body.toString() ?? '', /m=audio 9 RTP\/AVP 0/);
      const bDialog = await invites.at(-1)!.accept.call(invites.at(-1)!).catch(() => invites.at(-1)!.dialog!);
      await waitFor<void>((done) => (bDialog.awaitingAck ? bDialog.once('ack', () => done()) : done()));
      const ended = waitFor<string>((done) => result.dialog.once('terminated', (t) => done(t.reason)));
      const bye = await bDialog.bye();
      assert.equal(bye?.status, 200);
      assert.ok(await ended);
    });

    test('CANCEL after 180 ends the call with 487 as a result value', async () => {
      onInvite = (invite) => invite.progress(180);
      const call = a.invite({ uri: bUri, from: '<sip:alice@127.0.0.1>', body: OFFER, contentType: 'application/sdp' });
      await waitFor<void>((done) => call.once('progress', () => done()));
      const cancelled = waitFor<void>((done) => invites.at(-1)!.once('cancel', () => done()));
      call.cancel();
      const result = await call.result;
      assert.equal(result.ok, false);
      assert.equal(result.ok ? 0 : result.status, 487);
      await cancelled;
    });

    test('re-INVITE with a new offer is answered; REFER is accepted and NOTIFYs reach 200', async () => {
      onInvite = (invite) => void invite.accept({ body: ANSWER_SDP, contentType: 'application/sdp' });
      const result = await a.invite({ uri: bUri, from: '<sip:alice@127.0.0.1>', body: OFFER, contentType: 'application/sdp' }).result;
      assert.ok(result.ok);
      const bDialog = invites.at(-1)!.dialog!;
      bDialog.on('reinvite', (update) => void update.accept({ body: ANSWER_SDP.replace('m=audio 9', 'm=audio 11'), contentType: 'application/sdp' }));
      const re = await result.dialog.reinvite({ body: OFFER.replace('2 2', '2 3'), contentType: 'application/sdp' });
      assert.ok(re.ok);
      assert.match(re.answer?.body.toString() ?? '', /m=audio 11/);

      bDialog.on('refer', (refer) => {
        refer.accept();
        setTimeout(() => void refer.notify(200, 'OK'), 20);
      });
      const sub = result.dialog.refer('sip:carol@127.0.0.1');
      const outcome = await waitFor<unknown>((done) => sub.once('terminated', done));
      assert.equal(sub.lastStatus?.status, 200, JSON.stringify(outcome));

      const bye = await result.dialog.bye();
      assert.equal(bye?.status, 200);
    });

    test('REGISTER through the registration client is challenged and accepted, then removed on stop', async () => {
      const store = new MemoryBindingsStore({ clock: systemClock });
      const registrar = new Registrar({ store, clock: systemClock });
      b.enableRegistrar({
        registrar,
        auth: {
          verifier: new DigestVerifier({ secret: 'integration-secret-0123456789abcdef' }),
          realm: 'switchboard.test',
          lookup: async (u) => (u === 'alice' ? { password: 'wonderland' } : undefined),
        },
      });
      const aPort = a.transports.listeners()[0]!.advertised.port;
      const client = new RegistrationClient({
        send: (req) => a.request(req),
        clock: systemClock,
        registrar: bUri.replace('bob@', ''),
        aor: 'sip:alice@switchboard.test',
        contact: `<sip:alice@127.0.0.1:${aPort}${transport === 'udp' ? '' : `;transport=${transport}`}>`,
        credentials: { username: 'alice', password: 'wonderland' },
        expires: 600,
      });
      const registered = waitFor<number>((done) => client.once('registered', (e) => done(e.expires)));
      client.start();
      assert.equal(await registered, 600);
      assert.equal((await registrar.lookup('sip:alice@switchboard.test')).length, 1);
      await client.stop();
      assert.equal((await registrar.lookup('sip:alice@switchboard.test')).length, 0);
      await registrar.close();
      await store.close();
    });

    test('both stacks end with no dialogs and no transactions once the timers ran out', async () => {
      await new Promise((r) => setTimeout(r, 64 * 20 + 300));
      // Over UDP the cancelled INVITE's client transaction waits out Timer D (32 s whatever T1 is,
      // RFC 3261 17.1.1.2) to absorb retransmitted 487s; everything else has ended.
      const lingering = transport === 'udp' ? 1 : 0;
      assert.deepEqual(a.dialogs.counts, { dialogs: 0, incoming: 0, outgoing: lingering });
      assert.deepEqual(a.transactions.counts, { client: lingering, server: 0 });
      assert.deepEqual(b.dialogs.counts, { dialogs: 0, incoming: 0, outgoing: 0 });
      assert.deepEqual(b.transactions.counts, { client: 0, server: 0 });
      await a.close();
      assert.deepEqual(a.dialogs.counts, { dialogs: 0, incoming: 0, outgoing: 0 });
      assert.deepEqual(a.transactions.counts, { client: 0, server: 0 });
    });
  });
}
