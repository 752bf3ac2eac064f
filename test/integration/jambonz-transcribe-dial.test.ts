/**
 * `dial` with a nested `transcribe` (specs/jambonz.md §3.A dial/transcribe, §2.4 transcriptionHook)
 * over real SIP: a test phone calls the server, the app dials a second SIP stack that answers, and both
 * legs are transcribed while bridged (`recognizer.separateRecognitionPerChannel`) by a local
 * custom-vendor STT server that answers a final transcript after 0.5 s of loud audio. What the caller
 * says comes back with `channel_tag` 1, what the callee says with 2; both recognizers stop when the
 * callee hangs up and the dial ends.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import { CustomSttProvider } from '../../src/speech/index.ts';
import { recognizerFrom } from '../../src/api/jambonz/index.ts';
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { startJambonz, until, type JambonzFixture } from '../support/jambonz-fixture.ts';
import { readBody } from '../support/http-body.ts';

/** Mean absolute level of little-endian 16-bit samples. */
function level(buf: Buffer): number {
  let sum = 0;
  const n = Math.floor(buf.length / 2);
  for (let i = 0; i < n; i++) sum += Math.abs(buf.readInt16LE(i * 2));
  return n === 0 ? 0 : sum / n;
}

interface Speech { is_final: boolean; channel_tag: number; alternatives: { transcript: string }[] }

describe('jambonz dial with nested transcribe of both legs', () => {
  let fx: JambonzFixture;
  let caller: TestPhone;
  let calleePhone: TestPhone;
  let stt: WebSocketServer;
  let provider: CustomSttProvider;
  const hooks: Record<string, unknown>[] = [];
  const events = { starts: 0, closes: 0 };
  const answered: PhoneCall[] = [];

  before(async () => {
    stt = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    stt.on('connection', (ws) => {
      let loud = 0;
      ws.on('close', () => { events.closes += 1; });
      ws.on('message', (data, isBinary) => {
        if (!isBinary) {
          if ((JSON.parse(data.toString()) as Record<string, unknown>)['type'] === 'start') events.starts += 1;
          return;
        }
        const buf = data as Buffer;
        if (level(buf) < 500) return;
        loud += buf.length;
        if (loud >= 16_000) {
          loud = 0;
          ws.send(JSON.stringify({ type: 'transcription', is_final: true, alternatives: [{ transcript: 'heard you', confidence: 0.9 }] }));
        }
      });
    });
    await new Promise<void>((resolve) => stt.once('listening', () => resolve()));
    provider = new CustomSttProvider({ url: `ws://127.0.0.1:${(stt.address() as { port: number }).port}/stt` });
    fx = await startJambonz({
      webhook: (req, res) => {
        void readBody(req).then((text) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          if (req.url === '/t') hooks.push(JSON.parse(text) as Record<string, unknown>);
          res.end(JSON.stringify(req.url === '/call' ? [{
            verb: 'dial', target: [{ type: 'sip', sipUri: `sip:answer@127.0.0.1:${calleePhone.port}` }],
            transcribe: { transcriptionHook: '/t', recognizer: { vendor: 'custom', separateRecognitionPerChannel: true } },
          }, { verb: 'hangup' }] : []));
        });
      },
      manager: { stt: recognizerFrom(provider) },
    });
    caller = await fx.phone();
    calleePhone = await fx.phone();
    calleePhone.answerCalls(answered);
    fx.route('jz-tr-dial', { application_sid: 'tr-dial', name: 'tr-dial', call_hook: fx.hook('/call') });
  });

  after(async () => {
    await fx.close();
    await provider.close();
    for (const c of stt.clients) c.terminate();
    await new Promise<void>((resolve) => stt.close(() => resolve()));
  });

  test('caller and callee are transcribed separately (channel_tag 1 and 2); the dial end stops both', async () => {
    const r = await caller.call(fx.srv.uri('jz-tr-dial'));
    assert.ok(r.ok);
    await until('the callee to answer', () => answered.length === 1);
    await until('one recognizer per leg', () => events.starts === 2);
    const tags = (): number[] => hooks.map((h) => (h['speech'] as Speech).channel_tag);
    await r.call.sendTone(300, 800);
    await until('the caller transcript', () => tags().includes(1));
    assert.deepEqual(tags(), [1], 'the callee leg heard nothing loud yet');
    await answered[0]!.sendTone(500, 800);
    await until('the callee transcript', () => tags().includes(2));
    const speech = hooks.map((h) => h['speech'] as Speech);
    assert.ok(speech.every((s) => s.is_final && s.alternatives[0]!.transcript === 'heard you'));
    assert.equal(typeof hooks[0]!['call_sid'], 'string');
    await answered[0]!.hangup();
    await until('both recognizers stopped', () => events.closes === 2);
    await until('the caller gets BYE', () => r.call.dialog.state === 'terminated');
    await fx.idle();
  });
});
