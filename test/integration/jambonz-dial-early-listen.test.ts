/**
 * The callee's early media and a nested `listen` in a jambonz `dial` over real SIP:
 * - the callee answers 183 with SDP and plays a tone before its 200: an answered caller hears it while
 *   the callee still rings; with `answerOnBridge` the caller first gets a 183 with our SDP and hears it
 *   before its own 200;
 * - `listen` nested in `dial` (mixType stereo) sends the bridged audio to the socket: the metadata
 *   frame carries the callee leg's call sid, the caller's audio arrives on the left channel and the
 *   callee's on the right, at 8 kHz stereo byte rates; the socket is closed when the dial ends.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer, type WebSocket } from 'ws';
import { sendPacedTone } from '../support/phone-audio.ts';
import { Peers, until } from './jambonz-dial-peers.ts';

/** RMS of one channel (0 left, 1 right) of interleaved L16 stereo frames. */
function channelLevel(frames: readonly Buffer[], channel: 0 | 1): number {
  let sum = 0;
  let n = 0;
  for (const f of frames) {
    for (let i = channel * 2; i + 1 < f.length; i += 4) {
      const v = f.readInt16LE(i);
      sum += v * v;
      n++;
    }
  }
  return Math.sqrt(sum / Math.max(1, n));
}

describe('jambonz dial: callee early media, nested listen', () => {
  const p = new Peers();
  let wss: WebSocketServer;
  let wsUrl = '';
  const sockets: { ws: WebSocket; text: string[]; frames: Buffer[]; protocol: string; closed: boolean }[] = [];

  before(async () => {
    await p.start();
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => [...protocols][0] ?? false });
    await new Promise<void>((resolve) => wss.on('listening', () => resolve()));
    const addr = wss.address();
    wsUrl = typeof addr === 'object' && addr ? `ws://127.0.0.1:${addr.port}/fork` : '';
    wss.on('connection', (ws) => {
      const conn = { ws, text: [] as string[], frames: [] as Buffer[], protocol: ws.protocol, closed: false };
      sockets.push(conn);
      ws.on('message', (data, binary) => {
        const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
        if (binary) conn.frames.push(buf);
        else conn.text.push(buf.toString('utf8'));
      });
      ws.on('close', () => { conn.closed = true; });
    });
  });
  after(async () => {
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await p.close();
  });

  test('answered caller hears the callee\'s early media while it rings', async () => {
    p.reset([{ verb: 'dial', target: [{ type: 'sip', sipUri: p.calleeUri('early') }] }]);
    const a = await p.place();
    assert.deepEqual(a.provisionals.filter((x) => x.sdp), [], 'the caller was answered at once');
    await until('the caller hears the early tone', () => a.call.receivedLevel() > 500, 4000);
    assert.equal(p.calleeCalls.length, 0, 'heard before the callee answered');
    await until('the callee answered', () => p.calleeCalls.length === 1);
    await a.call.hangup();
    await until('BYE to the callee', () => p.calleeCalls[0]!.call.dialog.state === 'terminated');
    await p.idle();
  });

  test('answerOnBridge: 183 with SDP to the caller, the early tone before its 200', async () => {
    p.reset([{ verb: 'dial', answerOnBridge: true, target: [{ type: 'sip', sipUri: p.calleeUri('early') }] }]);
    const a = await p.place();
    assert.ok(a.provisionals.some((x) => x.status === 183 && x.sdp), `183 with SDP (got ${JSON.stringify(a.provisionals)})`);
    assert.equal(p.calleeCalls.length, 1, 'the caller\'s 200 came after the callee\'s');
    assert.ok(a.call.receivedLevel() > 500, 'the tone arrived before the answer (the callee sends none after it)');
    await a.call.hangup();
    await until('BYE to the callee', () => p.calleeCalls[0]!.call.dialog.state === 'terminated');
    await p.idle();
  });

  test('nested listen, stereo: metadata of the callee leg, caller left, callee right; closed when the dial ends', async () => {
    sockets.length = 0;
    p.reset([{
      verb: 'dial', target: [{ type: 'sip', sipUri: p.calleeUri('answer') }], actionHook: '/dial-done',
      listen: { url: wsUrl, mixType: 'stereo', sampleRate: 8000, metadata: { topic: 'nested' } },
    }]);
    const a = await p.place();
    await until('the callee answered', () => p.calleeCalls.length === 1);
    const b = p.calleeCalls[0]!.call;
    await until('the audio socket connected', () => sockets.length === 1 && sockets[0]!.text.length >= 1);
    const conn = sockets[0]!;
    assert.equal(conn.protocol, 'audio.drachtio.org');
    const meta = JSON.parse(conn.text[0]!) as Record<string, unknown>;
    assert.equal(meta['mixType'], 'stereo');
    assert.equal(meta['sampleRate'], 8000);
    assert.equal(meta['topic'], 'nested');
    assert.equal(meta['direction'], 'outbound', 'the callee leg\'s call info');
    assert.equal(typeof meta['parentCallSid'], 'string');
    const f0 = conn.frames.length;
    await sendPacedTone(a.call, 440, { ms: 800 });
    await new Promise((r) => setTimeout(r, 200));
    const f1 = conn.frames.length;
    await sendPacedTone(b, 1000, { ms: 800 });
    await new Promise((r) => setTimeout(r, 200));
    const f2 = conn.frames.length;
    const callerPhase = conn.frames.slice(f0 + 10, f1);
    const calleePhase = conn.frames.slice(f1 + 10, f2);
    assert.ok(channelLevel(callerPhase, 0) > 4 * Math.max(50, channelLevel(callerPhase, 1)), 'the caller on the left');
    assert.ok(channelLevel(calleePhase, 1) > 4 * Math.max(50, channelLevel(calleePhase, 0)), 'the callee on the right');
    const bytes = conn.frames.slice(f0, f2).reduce((n, f) => n + f.length, 0);
    const seconds = (f2 - f0) * 0.02;
    assert.ok(Math.abs(bytes / seconds - 32000) < 3200, `8 kHz stereo L16 is 32000 bytes/s (got ${Math.round(bytes / seconds)})`);
    await b.hangup();
    await until('the socket closed with the dial', () => conn.closed);
    await until('the dial actionHook', () => p.hit('/dial-done') !== undefined);
    await until('BYE to the caller', () => a.call.dialog.state === 'terminated');
    await p.idle();
  });
});
