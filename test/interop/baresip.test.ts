/**
 * The running server (startServer) with baresip 1.0.0 (Debian `baresip-core`), a SIP phone nobody here
 * wrote, as the phones: aufile plays a tone as the microphone, sndfile records what each phone sends
 * and hears, ctrl_tcp drives them.
 * - baresip registered as 1000 calls baresip registered as 1001 (auto-answer) through the server: both
 *   REGISTERs are in the registrar, the call is bridged, each recording holds the other phone's tone
 *   (Goertzel here, SoX `stat` as a second opinion) and not its own, and the CDRs show two answered
 *   legs ended with NORMAL_CLEARING;
 * - baresip calling `echo` hears its own tone; calling `tone` hears the 440 Hz demo tone;
 * - the server's default digest challenge is MD5 alone, because with MD5 and SHA-256 offered as two
 *   WWW-Authenticate headers (RFC 8760) baresip 1.0.0 cannot register: its libre 1.1 rejects a 401
 *   as soon as one challenge names an algorithm other than MD5. A test pins that limitation with a
 *   server configured with `sip.digestAlgorithms: ["SHA-256", "MD5"]`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from '../../src/main.ts';
import { Baresip, baresipUnavailable, type BaresipAccount } from '../support/baresip.ts';
import { freePort } from '../support/ports.ts';
import {
  dominantFrequency, readWavFile, soxAvailable, soxStat, toneShare, voiced, type MonoAudio,
} from '../support/wav-analysis.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';
import { waitIdle } from '../support/test-server.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> => waitUntil(what, check, ms, 20);

const unavailable = baresipUnavailable();
if (unavailable) throw new Error(`${unavailable}. The baresip interop tests cannot run without it.`);
if (!soxAvailable()) throw new Error('sox is not installed (Debian package sox); run .ci/run or apt-get install sox');



interface Running {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** The server on free loopback ports with a temporary data dir and the given digest challenges. */
async function startBaresipServer(digestAlgorithms?: string[]): Promise<Running> {
  const port = await freePort();
  const span = 32;
  const rtp = await freePort('127.0.0.1', span + 1);
  const low = rtp + (rtp & 1);
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-server-baresip-'));
  const configFile = join(dataDir, 'config.json');
  writeFileSync(configFile, JSON.stringify(digestAlgorithms ? { sip: { digestAlgorithms } } : {}));
  const server = await startServer({
    configFile,
    flags: { sip: `127.0.0.1:${port}`, esl: '127.0.0.1:0', http: '127.0.0.1:0', dataDir, rtpPorts: `${low}-${low + span - 1}`, logLevel: process.env['SWITCHBOARD_LOG_LEVEL'] ?? 'silent' },
    env: {},
    banner: false,
  });
  return {
    server,
    port,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The call's received (or sent) recording, once baresip has closed it (its header then has the length). */
async function recording(phone: Baresip, which: 'dec' | 'enc'): Promise<MonoAudio> {
  let audio: MonoAudio | undefined;
  await until(`${phone.name}'s ${which} recording`, () => {
    const rec = phone.recordings().at(-1);
    if (!rec) return false;
    try {
      audio = readWavFile(rec[which]);
    } catch {
      return false;
    }
    return audio.samples.length > 0;
  }, 5000);
  return audio!;
}

function describeAudio(a: MonoAudio): string {
  const v = voiced(a.samples, a.rate);
  return `${a.samples.length} samples at ${a.rate} Hz, ${v.length} voiced, dominant ${v.length ? dominantFrequency(v, a.rate) : 0} Hz`;
}

/** Checks that `audio` holds about `seconds` of a clean `hz` tone of RMS near `rms`, and not `notHz`. */
function assertTone(who: string, audio: MonoAudio, hz: number, seconds: number, opts: { rms?: number; notHz?: number } = {}): void {
  const what = `${who}: ${describeAudio(audio)}`;
  assert.equal(audio.rate, 8000, what);
  const v = voiced(audio.samples, audio.rate);
  assert.ok(v.length >= seconds * audio.rate, `${what}: expected at least ${seconds} s of sound`);
  // Leave out the edges (set-up, the hangup) and look at the middle.
  const middle = v.subarray(Math.floor(v.length * 0.1), Math.floor(v.length * 0.9));
  const dominant = dominantFrequency(middle, audio.rate);
  assert.ok(Math.abs(dominant - hz) <= 10, `${what}: dominant ${dominant} Hz, expected ${hz} Hz`);
  const share = toneShare(middle, hz, audio.rate);
  assert.ok(share > 0.9, `${what}: ${(share * 100).toFixed(1)}% of the energy at ${hz} Hz`);
  if (opts.notHz !== undefined) {
    const other = toneShare(middle, opts.notHz, audio.rate);
    assert.ok(other < 0.01, `${what}: ${(other * 100).toFixed(2)}% of the energy at ${opts.notHz} Hz`);
  }
  if (opts.rms !== undefined) {
    let s = 0;
    for (const x of middle) s += x * x;
    const level = Math.sqrt(s / middle.length);
    const db = 20 * Math.log10(level / opts.rms);
    assert.ok(Math.abs(db) < 1.5, `${what}: level ${level.toFixed(0)} RMS, ${db.toFixed(2)} dB from ${opts.rms.toFixed(0)}`);
  }
}

/** SoX's zero-crossing estimate of the received tone agrees within 5%. */
function assertSoxFrequency(who: string, phone: Baresip, hz: number): void {
  const rec = phone.recordings().at(-1);
  assert.ok(rec, `${who}: no recording`);
  const stat = soxStat(rec.dec, 0.5);
  assert.ok(Math.abs(stat.roughFrequency - hz) <= hz * 0.05, `${who}: sox says ${stat.roughFrequency} Hz, expected ${hz} Hz\n${stat.raw}`);
}

const AMPLITUDE = 10000;
const TONE_RMS = AMPLITUDE / Math.SQRT2;

describe('baresip 1.0.0 against the server', () => {
  let srv: Running;
  const phones: Baresip[] = [];

  before(async () => {
    srv = await startBaresipServer();
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await srv.close();
  });

  const account = (user: string): BaresipAccount => {
    const u = srv.server.users.find((x) => x.username === user);
    assert.ok(u, `demo user ${user} missing from ${srv.server.users.map((x) => x.username).join(', ')}`);
    return { user, password: u.password, domain: srv.server.config.sip.domain, outbound: `127.0.0.1:${srv.port}` };
  };

  const phone = async (name: string, toneHz: number): Promise<Baresip> => {
    const p = await Baresip.start({ name, toneHz, toneAmplitude: AMPLITUDE });
    phones.push(p);
    return p;
  };

  const idle = (): Promise<void> => waitIdle(srv.server, until);

  test('with SHA-256 and MD5 challenges configured, baresip 1.0.0 gets REGISTER_FAIL (its libre knows only MD5)', async () => {
    const plain = await startBaresipServer(['SHA-256', 'MD5']);
    const p = await phone('default-auth', 600);
    try {
      const u = plain.server.users.find((x) => x.username === '1000');
      assert.ok(u);
      const acct = { user: '1000', password: u.password, domain: plain.server.config.sip.domain, outbound: `127.0.0.1:${plain.port}` };
      await assert.rejects(p.register(acct, 5000), /REGISTER_FAIL/);
      assert.deepEqual(await plain.server.registrar.bindings(), []);
    } finally {
      await p.stop();
      await plain.close();
    }
  });

  test('1000 calls 1001 through the server: registered, bridged, each hears the other, two CDR legs', async () => {
    const a = await phone('a', 600);
    const b = await phone('b', 1000);
    const domain = srv.server.config.sip.domain;

    const [regA, regB] = await Promise.all([a.register(account('1000')), b.register(account('1001'))]);
    assert.equal(regA.accountaor, `sip:1000@${domain}`);
    assert.equal(regB.accountaor, `sip:1001@${domain}`);
    for (const [user, p] of [['1000', a], ['1001', b]] as const) {
      const bindings = await srv.server.registrar.lookup(`sip:${user}@${domain}`);
      assert.equal(bindings.length, 1, `${user}: ${JSON.stringify(bindings)}`);
      const binding = bindings[0]!;
      assert.equal(binding.contactUri.host, '127.0.0.1');
      assert.equal(binding.contactUri.port, p.sipPort);
      assert.deepEqual([binding.source.transport, binding.source.address, binding.source.port], ['udp', '127.0.0.1', p.sipPort]);
      assert.match(binding.userAgent ?? '', /^baresip/);
    }

    const since = Date.now();
    await a.dial(`sip:1001@${domain}`);
    const [estA, estB] = await Promise.all([
      a.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 10_000 }),
      b.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 10_000 }),
    ]);
    assert.equal(estA.direction, 'outgoing');
    assert.equal(estB.direction, 'incoming');
    assert.equal(estB.peeruri, `sip:1000@${domain}`);
    await until('bridge', () => srv.server.sw.bridges().length === 1);
    assert.equal(srv.server.sw.counts().channels, 2);

    await sleep(3000);
    await a.hangup();
    const [closedA, closedB] = await Promise.all([
      a.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 }),
      b.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 }),
    ]);
    assert.ok(closedA.at >= estA.at && closedB.at >= estB.at);
    await idle();

    // A hears B's 1000 Hz and not its own 600 Hz; B the other way round.
    assertTone('A heard', await recording(a, 'dec'), 1000, 2.5, { rms: TONE_RMS, notHz: 600 });
    assertTone('B heard', await recording(b, 'dec'), 600, 2.5, { rms: TONE_RMS, notHz: 1000 });
    assertTone('A sent', await recording(a, 'enc'), 600, 2.5);
    assertSoxFrequency('A heard', a, 1000);
    assertSoxFrequency('B heard', b, 600);

    await srv.server.sw.flushCdrs();
    const cdrs = await srv.server.cdrs.list({});
    const inbound = cdrs.find((c) => c.direction === 'inbound' && c.variables['sip_call_id'] === estA.id);
    assert.ok(inbound, `no inbound CDR with Call-ID ${String(estA.id)}: ${JSON.stringify(cdrs.map((c) => c.variables))}`);
    const outbound = cdrs.find((c) => c.direction === 'outbound' && c.parentUuid === inbound.uuid);
    assert.ok(outbound, 'no outbound CDR for the B leg');
    assert.equal(cdrs.filter((c) => c.uuid === inbound.uuid || c.parentUuid === inbound.uuid).length, 2, 'two legs');
    assert.equal(inbound.user, '1000');
    assert.equal(inbound.caller.number, '1000');
    assert.equal(inbound.callee.number, '1001');
    assert.equal(outbound.callee.number, '1001');
    assert.equal(inbound.bridgedTo, outbound.uuid);
    assert.equal(outbound.bridgedTo, inbound.uuid);
    assert.equal(inbound.hangupBy, 'remote');
    for (const leg of [inbound, outbound]) {
      const what = `${leg.direction} leg: ${JSON.stringify(leg)}`;
      assert.ok(leg.answeredAt !== undefined, what);
      assert.equal(leg.hangupCause, 'NORMAL_CLEARING', what);
      assert.equal(leg.q850, 16, what);
      assert.ok(leg.billMs >= 2900, what);
      assert.equal(leg.media?.codec, 'PCMU', what);
      assert.ok((leg.media?.packetsIn ?? 0) >= 140 && (leg.media?.packetsOut ?? 0) >= 140, what);
    }
  });

  test('baresip calling echo hears its own tone back', async () => {
    const p = await phone('echo', 600);
    await p.register(account('1002'));
    const since = Date.now();
    await p.dial(`sip:echo@${srv.server.config.sip.domain}`);
    await p.waitFor('CALL_ESTABLISHED', { since });
    await sleep(2000);
    await p.hangup();
    await p.waitFor('CALL_CLOSED', { since });
    await idle();
    assertTone('echo caller heard', await recording(p, 'dec'), 600, 1.5, { rms: TONE_RMS });
    assertSoxFrequency('echo caller heard', p, 600);
  });

  test('baresip calling tone hears the 440 Hz demo tone', async () => {
    const p = await phone('tone', 600);
    await p.register(account('1003'));
    const since = Date.now();
    await p.dial(`sip:tone@${srv.server.config.sip.domain}`);
    await p.waitFor('CALL_ESTABLISHED', { since });
    await sleep(2000);
    await p.hangup();
    await p.waitFor('CALL_CLOSED', { since });
    await idle();
    assertTone('tone caller heard', await recording(p, 'dec'), 440, 1.5, { notHz: 600 });
    assertSoxFrequency('tone caller heard', p, 440);
  });
});
