import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiResponseFrame, authRequestFrame, commandReplyFrame, disconnectFrame, eventFrame, logFrame, rudeRejectionFrame } from '../framing.ts';
import { contentType, frameHeader, FrameReader, urlDecode, type FrameResult } from './frame-reader.ts';

const ok = (results: FrameResult[]) => results.map((r) => {
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.frame;
});

describe('FrameReader', () => {
  it('reads every server frame shape the server writes (specs/esl.md §0)', () => {
    const log = { level: 4, channel: 2, file: 'core', func: 'core', line: 0, userData: 'abc', text: 'warn line\n' };
    const bytes = authRequestFrame() + commandReplyFrame('+OK accepted') + apiResponseFrame('UP 0 years\n')
      + eventFrame('plain', 'Event-Name: HEARTBEAT\n\n') + logFrame(log) + rudeRejectionFrame() + disconnectFrame();
    const frames = ok(new FrameReader().push(Buffer.from(bytes)));
    assert.deepEqual(frames.map(contentType), ['auth/request', 'command/reply', 'api/response', 'text/event-plain', 'log/data', 'text/rude-rejection', 'text/disconnect-notice']);
    assert.equal(frameHeader(frames[1]!, 'reply-text'), '+OK accepted');
    assert.equal(frames[1]!.body, undefined, 'command/reply has no body');
    assert.equal(frames[2]!.body, 'UP 0 years\n');
    assert.equal(frames[3]!.body, 'Event-Name: HEARTBEAT\n\n', 'events: Content-Length comes first');
    assert.equal(frames[4]!.body, 'warn line\n');
    assert.equal(frameHeader(frames[4]!, 'User-Data'), 'abc');
    assert.equal(frames[6]!.body?.length, 67);
  });

  it('handles frames split at every byte, and multi-byte bodies counted in bytes', () => {
    const bytes = Buffer.from(apiResponseFrame('héllo ☎\n') + commandReplyFrame('+OK'));
    const reader = new FrameReader();
    const frames = [];
    for (let i = 0; i < bytes.length; i++) frames.push(...ok(reader.push(bytes.subarray(i, i + 1))));
    assert.equal(frames.length, 2);
    assert.equal(frames[0]!.body, 'héllo ☎\n');
    assert.equal(frameHeader(frames[1]!, 'Reply-Text'), '+OK');
  });

  it('URL-decodes outer header values, as libesl', () => {
    const [f] = ok(new FrameReader().push(Buffer.from('Content-Type: command/reply\nReply-Text: %2BOK%0A\nX: 100%\n\n')));
    assert.equal(frameHeader(f!, 'Reply-Text'), '+OK\n');
    assert.equal(frameHeader(f!, 'X'), '100%');
  });

  it('a bad Content-Length is an error, after which nothing more is read', () => {
    const reader = new FrameReader();
    const r = reader.push(Buffer.from('Content-Type: api/response\nContent-Length: -3\n\nabc'));
    assert.equal(r.length, 1);
    assert.equal(r[0]!.ok, false);
    assert.ok(reader.failed);
    assert.deepEqual(reader.push(Buffer.from(commandReplyFrame('+OK'))), []);
  });

  it('an over-long body length is refused before anything is allocated', () => {
    const r = new FrameReader().push(Buffer.from(`Content-Type: api/response\nContent-Length: ${32 * 1024 * 1024}\n\n`));
    assert.equal(r[0]?.ok, false);
  });
});

describe('urlDecode', () => {
  const cases: [string, string][] = [
    ['plain', 'plain'], ['a%20b', 'a b'], ['%E2%98%8E', '☎'], ['%zz', '%zz'], ['%4', '%4'], ['%2b%2B', '++'],
  ];
  for (const [input, want] of cases) it(`${input} -> ${want}`, () => assert.equal(urlDecode(input), want));
});
