import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureSink, Harness, PCMA, PCMU, ToneSource, config, dominantFrequency } from '../../../test/support/media-session-harness.ts';
import { MediaCommandHost } from './media-commands.ts';
import { forkSession } from './session-fork.ts';
import { MediaSessionError } from './session-error.ts';

test('fork: what a leg receives and what it sends go out through two send-only sessions, each in its own codec', async () => {
  const h = await Harness.create(16);
  try {
    const [phone, leg] = h.pair();
    // Two recording streams (PCMA and PCMU) to two receivers standing for the recording server.
    const rec1 = h.session({ config: config(PCMA, { direction: 'sendonly' }) });
    const srs1 = h.session({ config: config(PCMA, { direction: 'recvonly' }), probe: true });
    const rec2 = h.session({ config: config(PCMU, { direction: 'sendonly' }) });
    const srs2 = h.session({ config: config(PCMU, { direction: 'recvonly' }), probe: true });
    h.connect(rec1, srs1);
    h.connect(rec2, srs2);
    const heard1 = new CaptureSink();
    const heard2 = new CaptureSink();
    srs1.addTap(heard1, 'received');
    srs2.addTap(heard2, 'received');
    const caller = forkSession(leg, rec1, 'received');
    const callee = forkSession(leg, rec2, 'sent');
    assert.throws(() => forkSession(leg, leg, 'sent'), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_BUSY');
    phone.play(new ToneSource(500));
    leg.play(new ToneSource(1200));
    await h.run(40);
    assert.equal(dominantFrequency(heard1.samples().subarray(-20 * 160), 8000), 500, 'stream 1: what the party says');
    assert.equal(dominantFrequency(heard2.samples().subarray(-20 * 160), 8000), 1200, 'stream 2: what the party hears');
    const p1 = h.probe(srs1);
    const p2 = h.probe(srs2);
    assert.ok(p1.length >= 38 && p1.every((p) => p.pt === 8), `stream 1 in PCMA (${p1.length} packets)`);
    assert.ok(p2.length >= 38 && p2.every((p) => p.pt === 0), `stream 2 in PCMU (${p2.length} packets)`);
    // Pausing a stream (direction inactive, as a re-INVITE with a=inactive asks) stops its packets.
    rec1.configure({ ...rec1.config, direction: 'inactive' });
    const before = p1.length;
    await h.run(10);
    assert.equal(p1.length, before, 'nothing is sent while inactive');
    rec1.configure({ ...rec1.config, direction: 'sendonly' });
    await h.run(10);
    assert.ok(p1.length >= before + 9, 'sending again after resume');
    caller.close();
    caller.close();
    assert.equal(caller.closed, true);
    // The leg closing ends the other fork.
    leg.close();
    assert.equal(callee.closed, true);
    await h.run(3);
  } finally {
    await h.close();
  }
});

test('fork through the command host: fork.create and fork.close; unknown sessions refused', async () => {
  const h = await Harness.create(4);
  try {
    const host = new MediaCommandHost({
      pool: h.pool, clock: h.clock, time: h.time,
      openSource: () => { throw new Error('not used'); },
      openSink: () => { throw new Error('not used'); },
      post: () => {},
    });
    await host.handle({ op: 'session.open', sessionId: 'leg', config: config() });
    await host.handle({ op: 'session.open', sessionId: 'rec', config: config(PCMU, { direction: 'sendonly' }) });
    await host.handle({ op: 'fork.create', forkId: 'f1', from: 'leg', to: 'rec', direction: 'received' });
    await assert.rejects(host.handle({ op: 'fork.create', forkId: 'f1', from: 'leg', to: 'rec', direction: 'sent' }), /in use/);
    await assert.rejects(host.handle({ op: 'fork.create', forkId: 'f2', from: 'nope', to: 'rec', direction: 'sent' }), /no media session/);
    await h.run(3);
    await host.handle({ op: 'fork.close', forkId: 'f1' });
    await host.handle({ op: 'fork.create', forkId: 'f1', from: 'leg', to: 'rec', direction: 'sent' });
    host.close();
    assert.equal(host.sessionCount, 0);
  } finally {
    await h.close();
  }
});
