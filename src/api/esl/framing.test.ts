/** Framing table tests against specs/esl.md §0 (cheat sheet) and §1.1 (read_packet rules). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CommandReader, GOODBYE, MAX_BODY_BYTES, apiResponseFrame, authRequestFrame, bgapiReplyFrame, commandReplyFrame,
  disconnectFrame, eventFrame, lingerFrame, logFrame, rudeRejectionFrame, userauthReplyFrame,
} from './framing.ts';

function read(...chunks: string[]): ReturnType<CommandReader['push']> {
  const r = new CommandReader();
  return chunks.flatMap((c) => r.push(Buffer.from(c, 'utf8')));
}

describe('esl framing: reading commands (§1.1)', () => {
  const cases: { name: string; input: string[]; lines: string[] }[] = [
    { name: 'LF LF', input: ['api status\n\n'], lines: ['api status'] },
    { name: 'CRLF CRLF', input: ['api status\r\n\r\n'], lines: ['api status'] },
    { name: 'LF CRLF', input: ['api status\n\r\n'], lines: ['api status'] },
    { name: 'leading blank lines skipped', input: ['\n\n\r\napi status\n\n'], lines: ['api status'] },
    { name: 'pipelined in one write', input: ['auth ClueCon\n\napi status\n\nexit\n\n'], lines: ['auth ClueCon', 'api status', 'exit'] },
    { name: 'split across writes', input: ['api st', 'atus\n', '\n'], lines: ['api status'] },
    { name: 'trailing space kept', input: ['auth ClueCon \n\n'], lines: ['auth ClueCon '] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = read(...c.input);
      assert.deepEqual(out.map((r) => (r.ok ? r.command.line : 'ERR')), c.lines);
    });
  }

  it('parses headers: first colon, leading spaces skipped, lines without colon ignored', () => {
    const [r] = read('sendmsg abc\ncall-command: execute\nexecute-app-arg:a:b c\nnonsense\nX:  two\n\n');
    assert.ok(r?.ok);
    assert.deepEqual(r.command.headers, [['call-command', 'execute'], ['execute-app-arg', 'a:b c'], ['X', 'two']]);
  });

  it('reads a Content-Length body (any case), bytes not characters, and the next command after it', () => {
    const body = 'héllo\n\nworld';
    const n = Buffer.byteLength(body);
    const out = read(`sendevent CUSTOM\ncontent-length: ${n}\n\n${body}`, '\n\napi status\n\n');
    assert.equal(out.length, 2);
    assert.ok(out[0]?.ok && out[1]?.ok);
    assert.equal(out[0].command.body, body);
    assert.equal(out[1].command.line, 'api status');
  });

  it('waits for the whole body', () => {
    const r = new CommandReader();
    assert.deepEqual(r.push(Buffer.from('sendevent X\nContent-Length: 5\n\nab')), []);
    const out = r.push(Buffer.from('cde'));
    assert.ok(out[0]?.ok);
    assert.equal(out[0].command.body, 'abcde');
  });

  for (const bad of ['-1', 'abc', String(MAX_BODY_BYTES + 1), '99999999999999999999']) {
    it(`rejects Content-Length ${bad.slice(0, 12)} and stops reading`, () => {
      const r = new CommandReader();
      const out = r.push(Buffer.from(`sendevent X\nContent-Length: ${bad}\n\napi status\n\n`));
      assert.equal(out.length, 1);
      assert.equal(out[0]?.ok, false);
      assert.ok(r.failed);
      assert.deepEqual(r.push(Buffer.from('api status\n\n')), []);
    });
  }

  it('finds a block end split across reads, whatever the split (the scan resumes, it does not restart)', () => {
    const text = 'api status\r\nX-A: 1\r\n\r\nexit\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      for (let cut2 = cut; cut2 < text.length; cut2++) {
        const r = new CommandReader();
        const out = [text.slice(0, cut), text.slice(cut, cut2), text.slice(cut2)].flatMap((p) => r.push(Buffer.from(p)));
        assert.deepEqual(out.map((o) => (o.ok ? o.command.line : 'error')), ['api status', 'exit'], `cuts ${cut} ${cut2}`);
      }
    }
  });

  it('reads long blocks and bodies fed in uneven reads, and the commands after them', () => {
    const big = 'v'.repeat(300_000);
    const body = 'b'.repeat(70_000);
    const text = `sendevent CUSTOM\r\nX-Big: ${big}\r\n\r\nsendevent CUSTOM\nContent-Length: ${body.length}\n\n${body}api status\n\n`;
    const bytes = Buffer.from(text);
    for (const size of [1000, 4093, 65_536, 100_003]) {
      const r = new CommandReader();
      const out = [];
      for (let i = 0; i < bytes.length; i += size) out.push(...r.push(bytes.subarray(i, i + size)));
      assert.deepEqual(out.map((o) => (o.ok ? o.command.line : 'error')), ['sendevent CUSTOM', 'sendevent CUSTOM', 'api status'], `reads of ${size}`);
      const [first, second] = out;
      assert.ok(first?.ok && second?.ok);
      assert.equal(first.command.headers.find(([n]) => n === 'X-Big')?.[1], big);
      assert.equal(second.command.body, body);
      assert.equal(r.buffered, 0);
    }
  });

  it('survives garbage bytes as an (unknown) command line', () => {
    const out = read('\x00\x01\xff garbage : x\n\n');
    assert.equal(out.length, 1);
    assert.ok(out[0]?.ok);
  });
});

describe('esl framing: server frames (§0)', () => {
  const u = '7f4de4bc-17d7-11dd-b7a0-db4edd065621';
  const cases: [string, string, string][] = [
    ['auth/request', authRequestFrame(), 'Content-Type: auth/request\n\n'],
    ['command/reply', commandReplyFrame('+OK accepted'), 'Content-Type: command/reply\nReply-Text: +OK accepted\n\n'],
    ['bgapi reply', bgapiReplyFrame(u), `Content-Type: command/reply\nReply-Text: +OK Job-UUID: ${u}\nJob-UUID: ${u}\n\n`],
    ['userauth reply', userauthReplyFrame('all', 'all', true),
      'Content-Type: command/reply\nReply-Text: +OK accepted\nAllowed-Events: all\nAllowed-API: all\nAllowed-LOG: true\n\n'],
    ['api/response', apiResponseFrame('+OK é\n'), 'Content-Type: api/response\nContent-Length: 7\n\n+OK é\n'],
    ['event', eventFrame('json', '{"a":"é"}'), 'Content-Length: 10\nContent-Type: text/event-json\n\n{"a":"é"}'],
    ['disconnect', disconnectFrame(), `Content-Type: text/disconnect-notice\nContent-Length: 67\n\n${GOODBYE}`],
    ['disconnect (session)', disconnectFrame(GOODBYE, u),
      `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${u}\nContent-Disposition: disconnect\nContent-Length: 67\n\n${GOODBYE}`],
    ['linger', lingerFrame(u, 'sofia/internal/1000@10.0.0.5', -1),
      `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${u}\nContent-Disposition: linger\nChannel-Name: sofia/internal/1000@10.0.0.5\nLinger-Time: -1\nContent-Length: 0\n\n`],
    ['rude rejection', rudeRejectionFrame(), 'Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n'],
    ['log/data', logFrame({ level: 7, channel: 0, file: 'a.c', func: 'f', line: 12, userData: '', text: 'x\n' }),
      'Content-Type: log/data\nContent-Length: 2\nLog-Level: 7\nText-Channel: 0\nLog-File: a.c\nLog-Func: f\nLog-Line: 12\nUser-Data: \n\nx\n'],
  ];
  for (const [name, actual, expected] of cases) {
    it(name, () => assert.equal(actual, expected));
  }

  it('goodbye text is 67 bytes', () => assert.equal(Buffer.byteLength(GOODBYE), 67));

  it('never emits CR and truncates Reply-Text to 511 bytes (§11.7)', () => {
    const f = commandReplyFrame(`+OK filter added. [X]=[${'y'.repeat(1000)}]`);
    assert.ok(!f.includes('\r'));
    const text = f.split('\n')[1]!.slice('Reply-Text: '.length);
    assert.equal(Buffer.byteLength(text), 511);
  });
});
