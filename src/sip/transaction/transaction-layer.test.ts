import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import type { ServerTransaction } from './server-transaction.ts';
import { cancelFor } from './ack.ts';
import { layerOn, RecordingClientUser, request, respond, TCP_PEER, UDP_PEER, Wire } from './test-support.ts';
import type { TransactionLayer } from './transaction-layer.ts';

interface Seen {
  requests: { req: SipRequest; tx: ServerTransaction }[];
  cancels: { cancel: SipRequest; cancelTx: ServerTransaction; inviteTx: ServerTransaction | undefined }[];
  acks: { ack: SipRequest; tx: ServerTransaction | undefined }[];
  strays: SipResponse[];
}

function setup(opts: { T1?: number; withCancelHandler?: boolean } = {}) {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const seen: Seen = { requests: [], cancels: [], acks: [], strays: [] };
  const layer = layerOn(
    clock,
    wire,
    {
      onRequest: (req, tx) => seen.requests.push({ req, tx }),
      ...(opts.withCancelHandler === false
        ? {}
        : { onCancel: (cancel, cancelTx, inviteTx) => seen.cancels.push({ cancel, cancelTx, inviteTx }) }),
      onAck: (ack, _source, tx) => seen.acks.push({ ack, tx }),
      onStrayResponse: (res) => seen.strays.push(res),
    },
    opts.T1,
  );
  return { clock, wire, layer, seen };
}

/** Runs every timer and checks nothing is left: the maps are empty and no timer is pending. */
function drain(clock: VirtualClock, layer: TransactionLayer): void {
  clock.runAll();
  assert.deepEqual(layer.counts, { client: 0, server: 0 });
  assert.equal(clock.pending, 0);
}

test('layer: timers derive from the one timersFor() of the stack', () => {
  assert.equal(setup().layer.timers.B, 32_000);
  assert.equal(setup({ T1: 100 }).layer.timers.B, 6400);
});

test('client matching: branch and CSeq method (17.1.3); 486 is ACKed by the transaction; maps end empty', () => {
  const { clock, wire, layer, seen } = setup();
  const user = new RecordingClientUser(clock);
  const invite = request({ branch: 'z9hG4bKc1' });
  const tx = layer.sendRequest(invite, UDP_PEER, user);
  assert.equal(tx.kind, 'invite-client');
  assert.deepEqual(layer.counts, { client: 1, server: 0 });
  assert.equal(wire.sent[0]?.to, UDP_PEER);

  // Same branch, other method (the CANCEL's response): not this transaction.
  const cancel = request({ method: 'CANCEL', branch: 'z9hG4bKc1' });
  assert.equal(layer.receiveResponse(respond(cancel, 200), UDP_PEER), 'stray');
  assert.equal(layer.receiveResponse(respond(request({ branch: 'z9hG4bKother' }), 180), UDP_PEER), 'stray');
  assert.deepEqual(seen.strays.map((r) => r.status), [200, 180]);

  assert.equal(layer.receiveResponse(respond(invite, 180, 'b'), UDP_PEER), 'matched');
  assert.equal(layer.receiveResponse(respond(invite, 486, 'b'), UDP_PEER), 'matched');
  assert.deepEqual(user.statuses, [180, 486]);
  assert.equal(wire.requests('ACK').length, 1);
  assert.equal(wire.sent.at(-1)?.to, UDP_PEER);
  drain(clock, layer);
  assert.equal(layer.receiveResponse(respond(invite, 486, 'b'), UDP_PEER), 'stray', 'after Timer D');
});

test('client: 2xx retransmissions after Timer M are stray responses for the UA core', () => {
  const { clock, layer, seen } = setup();
  const user = new RecordingClientUser(clock);
  const invite = request();
  layer.sendRequest(invite, TCP_PEER, user);
  layer.receiveResponse(respond(invite, 200, 'b'), TCP_PEER);
  layer.receiveResponse(respond(invite, 200, 'b'), TCP_PEER);
  assert.deepEqual(user.statuses, [200, 200]);
  drain(clock, layer);
  layer.receiveResponse(respond(invite, 200, 'b'), TCP_PEER);
  assert.deepEqual(seen.strays.map((r) => r.status), [200]);
});

test('client: sendRequest adds a missing branch or Via, refuses ACK and duplicate branches', () => {
  const { clock, wire, layer } = setup();
  const user = new RecordingClientUser(clock);
  const noBranch = request({ method: 'OPTIONS', branch: null });
  const tx = layer.sendRequest(noBranch, TCP_PEER, user);
  const branch = noBranch.topVia?.params['branch'];
  assert.match(branch ?? '', /^z9hG4bK.{8,}/);
  assert.equal(noBranch.headers.values('via').length, 1);
  assert.equal(tx.id.startsWith(branch ?? '?'), true);

  const noVia = request({ method: 'OPTIONS', branch: 'z9hG4bKx' });
  noVia.headers.remove('via');
  layer.sendRequest(noVia, TCP_PEER, user);
  assert.equal(noVia.topVia?.host, '198.51.100.1');
  assert.equal(noVia.topVia?.transport, 'TCP');
  assert.match(noVia.topVia?.params['branch'] ?? '', /^z9hG4bK/);

  assert.throws(() => layer.sendRequest(request({ method: 'ACK' }), TCP_PEER, user), { code: 'SIP_TX_INVALID' });
  const dup = request({ method: 'OPTIONS', branch: 'z9hG4bKdup' });
  layer.sendRequest(dup, TCP_PEER, user);
  assert.throws(() => layer.sendRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKdup' }), TCP_PEER, user), {
    code: 'SIP_TX_INVALID',
  });
  assert.equal(wire.requests('OPTIONS').length, 3);
  layer.close();
  assert.deepEqual(layer.counts, { client: 0, server: 0 });
  assert.equal(clock.pending, 0);
});

test('server matching (17.2.3): retransmissions absorbed, ACK for the non-2xx matched to the INVITE', () => {
  const { clock, wire, layer, seen } = setup();
  const invite = request({ branch: 'z9hG4bKs1' });
  assert.equal(layer.receiveRequest(invite, UDP_PEER), 'new');
  assert.equal(seen.requests.length, 1);
  const tx = seen.requests[0]!.tx;
  assert.equal(tx.kind, 'invite-server');
  assert.equal(layer.receiveRequest(request({ branch: 'z9hG4bKs1' }), UDP_PEER), 'retransmission');
  assert.equal(seen.requests.length, 1);
  assert.equal(wire.responses(100).length, 1, 'the retransmission got a 100 at once');

  tx.respond(respond(invite, 486, 'srv'));
  assert.equal(layer.receiveRequest(request({ method: 'ACK', branch: 'z9hG4bKs1', toTag: 'srv' }), UDP_PEER), 'ack');
  assert.equal(tx.state, 'Confirmed');
  assert.equal(seen.acks.length, 0);
  assert.equal(wire.sent.every((s) => s.to === UDP_PEER), true);
  drain(clock, layer);
});

test('server matching: the sent-by of the top Via and the method are part of the key', () => {
  const { layer, seen, clock } = setup();
  layer.receiveRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKsame', viaHost: 'a.example.com' }), UDP_PEER);
  layer.receiveRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKsame', viaHost: 'A.example.com:5060' }), UDP_PEER);
  layer.receiveRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKsame', viaHost: 'b.example.com' }), UDP_PEER);
  layer.receiveRequest(request({ method: 'INFO', branch: 'z9hG4bKsame', viaHost: 'a.example.com' }), UDP_PEER);
  assert.equal(seen.requests.length, 3);
  assert.equal(layer.counts.server, 3);
  for (const { req, tx } of seen.requests) tx.respond(respond(req, 200, 't'));
  drain(clock, layer);
});

test('stray ACK: the ACK for a 2xx (new branch) goes to onAck; a same-branch ACK in Accepted goes with its tx', () => {
  const { clock, layer, seen } = setup();
  const invite = request({ branch: 'z9hG4bKa1' });
  layer.receiveRequest(invite, UDP_PEER);
  const tx = seen.requests[0]!.tx;
  tx.respond(respond(invite, 200, 'srv'));
  assert.equal(layer.receiveRequest(request({ method: 'ACK', branch: 'z9hG4bKa2', toTag: 'srv' }), UDP_PEER), 'ack-to-tu');
  assert.equal(layer.receiveRequest(request({ method: 'ACK', branch: 'z9hG4bKa1', toTag: 'srv' }), UDP_PEER), 'ack-to-tu');
  assert.deepEqual(seen.acks.map((a) => a.tx), [undefined, tx]);
  assert.equal(tx.state, 'Accepted');
  drain(clock, layer);
});

test('CANCEL (9.2): own non-INVITE server transaction, matched to the INVITE, TU answers 200 and 487', () => {
  const { clock, wire, layer, seen } = setup();
  const invite = request({ branch: 'z9hG4bKinv' });
  layer.receiveRequest(invite, UDP_PEER);
  const inviteTx = seen.requests[0]!.tx;
  inviteTx.respond(respond(invite, 180, 'srv'));
  const cancel = request({ method: 'CANCEL', branch: 'z9hG4bKinv' });
  assert.equal(layer.receiveRequest(cancel, UDP_PEER), 'new');
  assert.equal(seen.requests.length, 1, 'a CANCEL is not passed to onRequest');
  const c = seen.cancels[0]!;
  assert.equal(c.inviteTx, inviteTx);
  assert.equal(c.cancelTx.kind, 'non-invite-server');
  assert.deepEqual(layer.counts, { client: 0, server: 2 });
  c.cancelTx.respond(respond(cancel, 200, 'srv'));
  inviteTx.respond(respond(invite, 487, 'srv'));
  assert.equal(layer.receiveRequest(request({ method: 'CANCEL', branch: 'z9hG4bKinv' }), UDP_PEER), 'retransmission');
  assert.equal(wire.responses(200).length, 2);
  assert.equal(layer.receiveRequest(request({ method: 'ACK', branch: 'z9hG4bKinv', toTag: 'srv' }), UDP_PEER), 'ack');

  // A CANCEL for nothing: the TU is told there is no INVITE.
  layer.receiveRequest(request({ method: 'CANCEL', branch: 'z9hG4bKnone' }), UDP_PEER);
  assert.equal(seen.cancels[1]?.inviteTx, undefined);
  seen.cancels[1]!.cancelTx.respond(respond(seen.cancels[1]!.cancel, 481));
  drain(clock, layer);
});

test('CANCEL without an onCancel handler: the layer answers 200 + 487, or 481', () => {
  const { clock, wire, layer, seen } = setup({ withCancelHandler: false });
  const invite = request({ branch: 'z9hG4bKinv' });
  layer.receiveRequest(invite, TCP_PEER);
  layer.receiveRequest(request({ method: 'CANCEL', branch: 'z9hG4bKinv' }), TCP_PEER);
  assert.deepEqual(wire.responses().map((r) => r.status), [200, 487]);
  assert.equal(seen.requests[0]?.tx.state, 'Completed');
  layer.receiveRequest(request({ method: 'CANCEL', branch: 'z9hG4bKzzz' }), TCP_PEER);
  assert.deepEqual(wire.responses().map((r) => r.status), [200, 487, 481]);
  layer.receiveRequest(request({ method: 'ACK', branch: 'z9hG4bKinv', toTag: wire.responses(487)[0]?.toTag ?? '' }), TCP_PEER);
  drain(clock, layer);
});

test('RFC 2543 fallback: no magic cookie, matched on Request-URI, tags, Call-ID, CSeq and top Via', () => {
  const { clock, layer, seen } = setup();
  const legacy = { branch: null, viaHost: 'old.example.com' } as const;
  const invite = request({ ...legacy });
  assert.equal(layer.receiveRequest(invite, UDP_PEER), 'new');
  assert.equal(layer.receiveRequest(request({ ...legacy }), UDP_PEER), 'retransmission');
  assert.equal(layer.receiveRequest(request({ ...legacy, branch: '1' }), UDP_PEER), 'new', 'other top Via');
  assert.equal(layer.receiveRequest(request({ ...legacy, cseq: 2 }), UDP_PEER), 'new', 'other CSeq');
  assert.equal(layer.receiveRequest(request({ ...legacy, fromTag: 'zz' }), UDP_PEER), 'new', 'other From tag');
  assert.equal(layer.receiveRequest(request({ ...legacy, uri: 'sip:carol@example.org' }), UDP_PEER), 'new', 'other R-URI');
  assert.equal(seen.requests.length, 5);
  const tx = seen.requests[0]!.tx;

  // CANCEL: same Request-URI, Call-ID, To, From, CSeq number, top Via.
  layer.receiveRequest(request({ ...legacy, method: 'CANCEL', cseqMethod: 'CANCEL' }), UDP_PEER);
  assert.equal(seen.cancels[0]?.inviteTx, tx);
  seen.cancels[0]!.cancelTx.respond(respond(seen.cancels[0]!.cancel, 200));
  tx.respond(respond(invite, 487, 'srv'));

  // ACK: To tag must be the one of the response sent.
  assert.equal(layer.receiveRequest(request({ ...legacy, method: 'ACK', toTag: 'other' }), UDP_PEER), 'ack-to-tu');
  assert.equal(tx.state, 'Completed');
  assert.equal(layer.receiveRequest(request({ ...legacy, method: 'ACK', toTag: 'srv' }), UDP_PEER), 'ack');
  assert.equal(tx.state, 'Confirmed');
  for (const { req, tx: other } of seen.requests.slice(1)) other.respond(respond(req, 500, 'x'));
  for (const { req } of seen.requests.slice(1)) layer.receiveRequest(request({ ...legacy, ...fieldsOf(req), method: 'ACK' }), UDP_PEER);
  drain(clock, layer);
});

function fieldsOf(req: SipRequest) {
  return {
    branch: req.topVia?.params['branch'] ?? null,
    cseq: req.cseq.seq,
    fromTag: req.fromTag,
    uri: req.uri,
    toTag: 'x',
  };
}

test('non-INVITE server through the layer: retransmission answered with the last response until J', () => {
  const { clock, wire, layer, seen } = setup();
  const reg = request({ method: 'REGISTER', branch: 'z9hG4bKr' });
  layer.receiveRequest(reg, UDP_PEER);
  const tx = seen.requests[0]!.tx;
  assert.equal(tx.kind, 'non-invite-server');
  tx.respond(respond(reg, 200, 't'));
  clock.advance(1000);
  assert.equal(layer.receiveRequest(request({ method: 'REGISTER', branch: 'z9hG4bKr' }), UDP_PEER), 'retransmission');
  assert.equal(wire.responses(200).length, 2);
  clock.advance(31_000);
  assert.deepEqual(layer.counts, { client: 0, server: 0 });
  assert.equal(layer.receiveRequest(request({ method: 'REGISTER', branch: 'z9hG4bKr' }), UDP_PEER), 'new');
  seen.requests[1]!.tx.respond(respond(reg, 200, 't'));
  drain(clock, layer);
});

test('responses go to the injected destination, by option or per request', () => {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const viaRport: Destination = { transport: 'udp', address: '203.0.113.7', port: 40000 };
  const txs: ServerTransaction[] = [];
  const layer = layerOn(clock, wire, { onRequest: (_r, tx) => txs.push(tx) });
  layer.receiveRequest(request({ method: 'OPTIONS', branch: 'z9hG4bK1' }), UDP_PEER, viaRport);
  txs[0]!.respond(respond(txs[0]!.request!, 200));
  assert.equal(wire.sent[0]?.to, viaRport);
  layer.close();
});

test('close(): terminates everything, cancels all timers, is idempotent; the layer then refuses work', () => {
  const { clock, layer, seen } = setup();
  const user = new RecordingClientUser(clock);
  layer.sendRequest(request({ branch: 'z9hG4bKc' }), UDP_PEER, user);
  layer.sendRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKd' }), UDP_PEER, user);
  layer.receiveRequest(request({ branch: 'z9hG4bKs' }), UDP_PEER);
  seen.requests[0]!.tx.respond(respond(seen.requests[0]!.req, 200, 't'));
  assert.deepEqual(layer.counts, { client: 2, server: 1 });
  assert.ok(clock.pending > 0);
  layer.close();
  layer.close();
  assert.deepEqual(layer.counts, { client: 0, server: 0 });
  assert.equal(clock.pending, 0);
  assert.equal(layer.closed, true);
  assert.equal(user.terminatedAt, 0);
  assert.throws(() => layer.sendRequest(request({ branch: 'z9hG4bKe' }), UDP_PEER, user), { code: 'SIP_TX_CLOSED' });
  assert.equal(layer.receiveRequest(request({ branch: 'z9hG4bKf' }), UDP_PEER), 'invalid');
  assert.equal(layer.receiveResponse(respond(request(), 200), UDP_PEER), 'invalid');
});

test('a throwing TU callback does not break the layer', () => {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const layer = layerOn(clock, wire, {
    onRequest: () => {
      throw new Error('TU bug');
    },
    onStrayResponse: () => {
      throw new Error('TU bug');
    },
  });
  assert.equal(layer.receiveRequest(request({ method: 'OPTIONS' }), UDP_PEER), 'new');
  assert.equal(layer.receiveResponse(respond(request(), 200), UDP_PEER), 'stray');
  layer.close();
  assert.equal(clock.pending, 0);
});

test('UAC CANCEL (9.1): cancelFor() shares the INVITE branch; each response reaches its own transaction', () => {
  const { clock, wire, layer, seen } = setup();
  const inviteUser = new RecordingClientUser(clock);
  const cancelUser = new RecordingClientUser(clock);
  const invite = request({ branch: 'z9hG4bKuac', route: ['<sip:edge.example.net;lr>'] });
  layer.sendRequest(invite, UDP_PEER, inviteUser);
  layer.receiveResponse(respond(invite, 180, 'b'), UDP_PEER);
  const cancel = cancelFor(invite);
  assert.equal(cancel.method, 'CANCEL');
  assert.equal(cancel.uri, invite.uri);
  assert.deepEqual(cancel.cseq, { seq: invite.cseq.seq, method: 'CANCEL' });
  assert.deepEqual(cancel.vias, [invite.topVia]);
  assert.equal(cancel.toTag, undefined);
  assert.deepEqual(cancel.headers.getAll('route'), ['<sip:edge.example.net;lr>']);
  const cancelTx = layer.sendRequest(cancel, UDP_PEER, cancelUser);
  assert.equal(cancelTx.kind, 'non-invite-client');
  assert.deepEqual(layer.counts, { client: 2, server: 0 });
  layer.receiveResponse(respond(cancel, 200, 'b'), UDP_PEER);
  layer.receiveResponse(respond(invite, 487, 'b'), UDP_PEER);
  assert.deepEqual(cancelUser.statuses, [200]);
  assert.deepEqual(inviteUser.statuses, [180, 487]);
  assert.equal(wire.requests('ACK').length, 1);
  assert.equal(seen.strays.length, 0);
  drain(clock, layer);
});

test('a TU that answers inside onRequest gets no 100 (Trying)', () => {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const layer = layerOn(clock, wire, { onRequest: (req, tx) => tx.respond(respond(req, 180, 't')) });
  layer.receiveRequest(request({ branch: 'z9hG4bKq' }), UDP_PEER);
  clock.advance(1000);
  assert.deepEqual(wire.responses().map((r) => r.status), [180]);
  layer.close();
  assert.equal(clock.pending, 0);
});

test('server transactions waiting out Timers L and J hold no request and share one clock timer per length', () => {
  const { clock, layer, seen } = setup();
  for (let i = 0; i < 200; i++) {
    layer.receiveRequest(request({ branch: `z9hG4bKcall${i}`, callId: `call${i}` }), UDP_PEER);
    layer.receiveRequest(request({ method: 'BYE', branch: `z9hG4bKbye${i}`, callId: `call${i}`, toTag: 'b' }), UDP_PEER);
  }
  for (const { req, tx } of seen.requests) tx.respond(respond(req, 200, 'b'));
  assert.deepEqual(layer.counts, { client: 0, server: 400 });
  assert.equal(layer.pendingTimers, 400, 'one Timer L or J each');
  assert.equal(clock.pending, 1, 'L and J are both 64*T1 here: one clock timer for all of them');
  for (const { tx } of seen.requests) {
    assert.equal(tx.request, undefined);
    assert.equal(tx.lastResponse, undefined);
  }
  drain(clock, layer);
  assert.equal(layer.pendingTimers, 0);
});

test('client transactions let go of the request once the final response arrived', () => {
  const { clock, layer } = setup();
  const user = new RecordingClientUser(clock);
  const options = layer.sendRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKo1' }), UDP_PEER, user);
  const invite = request({ branch: 'z9hG4bKi1' });
  const inviteTx = layer.sendRequest(invite, UDP_PEER, user);
  assert.ok(options.request && inviteTx.request);
  layer.receiveResponse(respond(request({ method: 'OPTIONS', branch: 'z9hG4bKo1' }), 200, 'x'), UDP_PEER);
  layer.receiveResponse(respond(invite, 486, 'x'), UDP_PEER);
  assert.equal(options.state, 'Completed');
  assert.equal(inviteTx.state, 'Completed');
  assert.equal(options.request, undefined);
  assert.equal(inviteTx.request, undefined);
  drain(clock, layer);
});
