/**
 * Bad input on the inbound event socket over real TCP (specs/esl.md §1.1 read_packet, §2.1 life-cycle,
 * §10 security notes): garbage bytes, commands arriving one byte per TCP write, header blocks around
 * the 10 MiB cap, wrong passwords repeated, commands before auth. Each gets the original's answer and
 * the server keeps serving other clients. (A client that never reads: esl-slow-reader.test.ts.)
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import { createHarness, type Harness } from '../../src/core/testing/index.ts';
import { EslTestClient } from '../support/esl-client.ts';

const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';
const NOT_FOUND = 'Content-Type: command/reply\nReply-Text: -ERR command not found\n\n';

let h: Harness;
let esl: EslMount;
let clients: EslTestClient[];

async function open(): Promise<EslTestClient> {
  const c = await EslTestClient.open(esl.address.port);
  clients.push(c);
  await c.next('auth/request');
  return c;
}

async function authed(): Promise<EslTestClient> {
  const c = await EslTestClient.authed(esl.address.port);
  clients.push(c);
  return c;
}

/** Another client is still served: the server survived whatever came before. */
async function stillServing(): Promise<void> {
  const c = await authed();
  assert.match(await c.api('uptime'), /^\d+\n$/);
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

beforeEach(async () => {
  h = createHarness();
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1' });
  clients = [];
});

afterEach(async () => {
  for (const c of clients) c.close();
  await esl.close();
  await h.finish();
});

describe('esl inbound: bad input', () => {
  it('garbage bytes are an unknown command, before and after auth; the connection goes on', async () => {
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x3a, 0x20, 0x80, 0x0d, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0x0a]);
    const c = await open();
    c.socket.write(garbage);
    assert.equal((await c.next('command/reply')).raw, NOT_FOUND);
    assert.equal((await c.command('auth ClueCon')).headers['Reply-Text'], '+OK accepted');
    c.socket.write(garbage);
    assert.equal((await c.next('command/reply')).raw, NOT_FOUND);
    c.send(':::\n: :\nno colon here\n\n');
    assert.equal((await c.next('command/reply')).raw, NOT_FOUND);
    assert.match(await c.api('uptime'), /^\d+\n$/);
    await stillServing();
  });

  it('partial frames: a command written one byte at a time, and a body split across writes', async () => {
    const c = await open();
    for (const b of Buffer.from('auth ClueCon\n\n')) {
      c.socket.write(Buffer.from([b]));
      await tick();
    }
    assert.equal((await c.next('command/reply')).headers['Reply-Text'], '+OK accepted');
    c.send('api upt');
    await tick();
    assert.equal(c.frames.length, 0, 'nothing answered before the blank line');
    c.send('ime\r\n');
    await tick();
    c.send('\r\n');
    assert.match((await c.next('api/response')).body, /^\d+\n$/);
    assert.equal((await c.command('event plain CUSTOM test::split')).headers['Reply-Text'], '+OK event listener enabled plain');
    const body = 'twelve bytes';
    c.send(`sendevent CUSTOM\nEvent-Subclass: test::split\nContent-Length: ${body.length}\n\ntwelve`);
    await tick();
    c.send(' bytes');
    assert.equal((await c.next('command/reply')).headers['Reply-Text']?.startsWith('+OK'), true);
    const ev = await c.next('text/event-plain');
    assert.ok(ev.body.endsWith(`Content-Length: ${body.length}\n\n${body}`), ev.body.slice(-80));
  });

  it('gigantic headers: a 1 MiB header is read; a block past 10 MiB drops the connection only', async () => {
    const c = await authed();
    const big = 'x'.repeat(1024 * 1024);
    const reply = await c.command('sendevent CUSTOM', { 'Event-Subclass': 'test::big', 'X-Big': big });
    assert.equal(reply.headers['Reply-Text']?.startsWith('+OK'), true);

    const d = await authed();
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    d.socket.write('sendevent CUSTOM\nX-Huge: ');
    for (let i = 0; i < 11 && !d.ended; i++) {
      d.socket.write(chunk);
      await tick();
    }
    await d.closed();
    assert.equal(d.frames.filter((f) => f.headers['Content-Type'] === 'command/reply').length, 0, 'no reply to the oversized block');
    await stillServing();
  });

  it('wrong passwords repeated: each gets -ERR invalid and the goodbye, at once (the original has no back-off)', async () => {
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      const c = await open();
      const r = await c.command(`auth wrong-${i}`);
      assert.equal(r.raw, 'Content-Type: command/reply\nReply-Text: -ERR invalid\n\n');
      assert.equal((await c.next('text/disconnect-notice')).body, GOODBYE);
      await c.closed();
    }
    // The right password right after is accepted: no lockout.
    await stillServing();
    assert.ok(Date.now() - started < 5000, `20 refusals took ${Date.now() - started} ms`);
  });

  it('commands before auth keep failing without closing; exit says goodbye', async () => {
    const c = await open();
    for (const cmd of ['api status', 'bgapi status', 'event plain ALL', 'sendmsg', 'filter Unique-ID x', 'log 7', 'nosuch']) {
      assert.equal((await c.command(cmd)).raw, NOT_FOUND, cmd);
    }
    assert.equal(c.frames.length, 0, 'no event or api response leaked');
    c.send('exit\n\n');
    assert.equal((await c.next('command/reply')).headers['Reply-Text'], '+OK bye');
    assert.equal((await c.next('text/disconnect-notice')).body, GOODBYE);
    await c.closed();
    await stillServing();
  });
});
