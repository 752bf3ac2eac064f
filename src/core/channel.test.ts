import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelDriver, ChannelInit } from './index.ts';
import { FakeDriver, FakeMedia, createHarness, type Harness } from './testing/index.ts';

function inbound(h: Harness, over: Partial<ChannelInit> = {}): { ch: ReturnType<Harness['sw']['createChannel']>; driver: FakeDriver; media: FakeMedia } {
  const driver = new FakeDriver();
  const media = new FakeMedia('in');
  const ch = h.sw.createChannel({
    direction: 'inbound', endpoint: 'sip', name: 'sip/1000@10.0.0.5', caller: { number: '1000', name: 'Alice' },
    destination: '2000', user: '1000', driver, media, variables: { sip_call_id: 'abc' }, ...over,
  });
  return { ch, driver, media };
}

test('inbound leg: new -> routing -> ringing -> early -> answered -> hangup -> destroyed, with events and times', async () => {
  const h = createHarness();
  const { ch, driver, media } = inbound(h);
  assert.equal(ch.state, 'new');
  ch.enterRouting();
  h.clock.advance(100);
  assert.deepEqual(await ch.ringing(), { ok: true });
  h.clock.advance(100);
  assert.deepEqual(await ch.preAnswer(), { ok: true });
  h.clock.advance(100);
  assert.deepEqual(await ch.answer(), { ok: true });
  h.clock.advance(2_500);
  await ch.hangup();
  assert.equal(ch.state, 'destroyed');
  assert.deepEqual(driver.calls, ['ring', 'progress:true', 'answer', 'hangup:NORMAL_CLEARING']);
  assert.equal(driver.hangups[0]?.options.answered, true);
  assert.equal(driver.closed, 1);
  assert.equal(media.closed, 1);
  assert.equal(media.dtmfListeners, 0);
  assert.deepEqual(h.names(ch.uuid), [
    'channel.created',
    'channel.state', 'channel.state', 'channel.ringing', 'channel.state', 'channel.progress', 'channel.state', 'channel.answered',
    'channel.state', 'channel.hangup', 'channel.state', 'channel.destroyed', 'cdr',
  ]);
  const t0 = 1_700_000_000_000;
  assert.deepEqual(ch.times, { created: t0, progress: t0 + 100, progressMedia: t0 + 200, answered: t0 + 300, hangup: t0 + 2_800, destroyed: t0 + 2_800 });
  assert.equal(ch.hangupCause, 'NORMAL_CLEARING');
  assert.equal(ch.hangupBy, 'local');
  assert.equal(ch.sipStatus, undefined, 'BYE after answer carries no status');
  await h.finish();
});

test('signalling operations are idempotent and hangup runs once', async () => {
  const h = createHarness();
  const { ch, driver, media } = inbound(h);
  const [a, b] = await Promise.all([ch.answer(), ch.answer()]);
  assert.ok(a.ok && b.ok);
  assert.deepEqual(await ch.answer(), { ok: true });
  assert.deepEqual(await ch.ringing(), { ok: true }, 'ringing after answer is a no-op');
  assert.deepEqual(await ch.preAnswer(), { ok: true }, 'pre-answer after answer is a no-op');
  const p1 = ch.hangup('USER_BUSY');
  const p2 = ch.hangup('NORMAL_CLEARING');
  await Promise.all([p1, p2, ch.remoteHangup('NORMAL_CLEARING')]);
  assert.deepEqual(driver.calls, ['answer', 'hangup:USER_BUSY']);
  assert.equal(ch.hangupCause, 'USER_BUSY');
  assert.equal(media.closed, 1);
  assert.equal(h.names(ch.uuid).filter((n) => n === 'channel.hangup').length, 1);
  await h.finish();
});

test('operations on a gone or wrong-direction leg are results, not exceptions', async () => {
  const h = createHarness();
  const out = h.sw.createChannel({ direction: 'outbound', endpoint: 'sip', driver: new FakeDriver(), destination: '3000' });
  for (const r of [await out.answer(), await out.ringing(), await out.preAnswer()]) {
    assert.equal(r.ok ? '' : r.error.code, 'CORE_CHANNEL_STATE');
  }
  const { ch } = inbound(h);
  assert.equal((await ch.hold(true)).ok, false, 'hold before answer');
  await ch.hangup();
  await out.hangup();
  const results = [
    await ch.answer(), await ch.ringing(), await ch.preAnswer(), await ch.hold(true), await ch.transfer('sip:x@y'),
    await ch.sendInfo({ contentType: 'text/plain', body: 'x' }), await ch.sendDtmf('1'), ch.echo(true), ch.stopPlayback(),
  ];
  for (const r of results) assert.equal(r.ok ? '' : r.error.code, 'CORE_CHANNEL_GONE');
  assert.equal((await ch.play('/tmp/a.wav').done).status, 'failed');
  assert.equal((await ch.record('/tmp/r.wav').done).status, 'failed');
  await h.finish();
});

test('driver refusals and exceptions become CORE_DRIVER_FAILED and leave the leg as it was', async () => {
  const h = createHarness();
  for (const behaviour of ['refuse', 'throw'] as const) {
    const { ch, driver } = inbound(h);
    driver.behaviour.set('answer', behaviour);
    const r = await ch.answer();
    assert.equal(r.ok ? '' : r.error.code, 'CORE_DRIVER_FAILED', behaviour);
    assert.equal(ch.state, 'new');
    await ch.hangup('CALL_REJECTED');
    assert.equal(driver.hangups[0]?.options.sipStatus, 603);
  }
  await h.finish();
  assert.equal((await h.store.list()).length, 2);
});

test('hangup causes reach the driver with the mapped SIP status, Q.850 and answered flag', async () => {
  const cases: [Parameters<FakeDriver['hangup']>[0], boolean, number, number][] = [
    ['USER_BUSY', false, 486, 17],
    ['NO_ANSWER', false, 480, 19],
    ['CALL_REJECTED', false, 603, 21],
    ['ORIGINATOR_CANCEL', false, 487, 16],
    ['NORMAL_CLEARING', true, 480, 16],
  ];
  const h = createHarness();
  for (const [cause, answer, status, q850] of cases) {
    const { ch, driver } = inbound(h);
    if (answer) await ch.answer();
    await ch.hangup(cause);
    assert.deepEqual(
      { ...driver.hangups[0]?.options },
      { sipStatus: status, q850, answered: answer, reason: undefined, headers: undefined },
      cause,
    );
    assert.equal(ch.sipStatus, answer ? undefined : status);
  }
  const { ch, driver } = inbound(h);
  await ch.hangup('USER_BUSY', { sipStatus: 600, reason: 'Busy Everywhere' });
  assert.equal(driver.hangups[0]?.options.sipStatus, 600);
  assert.equal(driver.hangups[0]?.options.reason, 'Busy Everywhere');
  await h.finish();
});

test('a driver whose hangup never settles or throws still ends in destroyed (bounded wait)', async () => {
  const h = createHarness({ hangupTimeoutMs: 2_000 });
  const { ch, driver } = inbound(h);
  driver.behaviour.set('hangup', 'hang');
  const done = ch.hangup();
  await h.tick(1_999);
  assert.equal(ch.state, 'hangup');
  await h.tick(1);
  await done;
  assert.equal(ch.state, 'destroyed');
  const second = inbound(h);
  second.driver.behaviour.set('hangup', 'throw');
  await second.ch.hangup();
  assert.equal(second.ch.state, 'destroyed');
  await h.finish();
  assert.equal(await h.store.count(), 2);
});

test('far-end events on an outbound leg; odd ones are ignored; remote hangup does not call the driver', async () => {
  const h = createHarness();
  const driver = new FakeDriver();
  const ch = h.sw.createChannel({ direction: 'outbound', endpoint: 'sip', driver, destination: '3000' });
  ch.remoteProgress({ earlyMedia: false });
  assert.equal(ch.state, 'ringing', '183 without media counts as ringing');
  ch.remoteRinging();
  ch.remoteProgress();
  assert.equal(ch.state, 'early');
  ch.remoteRinging();
  assert.equal(ch.state, 'early', 'a 180 after early media changes nothing');
  ch.remoteAnswered();
  ch.remoteAnswered();
  ch.remoteProgress();
  assert.equal(ch.state, 'answered');
  ch.remoteHold(true);
  ch.remoteHold(true);
  assert.equal(ch.held, true);
  await ch.remoteHangup('NORMAL_CLEARING', { sipStatus: 200 });
  assert.deepEqual(driver.calls, []);
  assert.equal(ch.hangupBy, 'remote');
  assert.equal(ch.sipStatus, 200);
  assert.deepEqual(
    h.names(ch.uuid).filter((n) => n !== 'channel.state'),
    ['channel.created', 'channel.ringing', 'channel.progress', 'channel.answered', 'channel.hold', 'channel.hangup', 'channel.destroyed', 'cdr'],
  );
  await h.finish();
});

test('variables: set, unset with empty value, events only on change', async () => {
  const h = createHarness();
  const { ch } = inbound(h);
  assert.equal(ch.getVariable('sip_call_id'), 'abc');
  ch.setVariable('a', '1');
  ch.setVariable('a', '1');
  ch.setVariable('a', '2');
  ch.setVariable('a', '');
  ch.setVariable('b', undefined);
  ch.setVariables({ c: '3', d: '4' });
  const changes = h.events.flatMap((e) => (e.name === 'channel.variable' ? [[e.payload.name, e.payload.value, e.payload.previous]] : []));
  assert.deepEqual(changes, [['a', '1', undefined], ['a', '2', '1'], ['a', undefined, '2'], ['c', '3', undefined], ['d', '4', undefined]]);
  assert.deepEqual(ch.snapshot().variables, { sip_call_id: 'abc', c: '3', d: '4' });
  await ch.hangup();
  await h.finish();
});

test('DTMF from media and from the endpoint; invalid digits and digits after hangup are ignored', async () => {
  const h = createHarness();
  const { ch, media } = inbound(h);
  const local: string[] = [];
  ch.on('dtmf', (d) => local.push(`${d.digit}/${d.source}/${d.durationMs}`));
  media.receiveDtmf('5', 120, 'rfc4733');
  ch.dtmf('#', 250, 'info');
  ch.dtmf('a', 100, 'inband');
  ch.dtmf('x', 100, 'rfc4733');
  ch.dtmf('12', 100, 'rfc4733');
  await ch.hangup();
  ch.dtmf('1', 100, 'rfc4733');
  assert.deepEqual(local, ['5/rfc4733/120', '#/info/250', 'A/inband/100']);
  assert.equal(h.names(ch.uuid).filter((n) => n === 'channel.dtmf').length, 3);
  await h.finish();
});

test('playback and recording: events, outcomes, DTMF terminators, failures and hangup', async () => {
  const h = createHarness();
  const { ch, media } = inbound(h);
  await ch.answer();
  const p1 = ch.play('/sounds/hello.wav', { loops: 2 });
  assert.deepEqual(media.plays[0]?.options, { loops: 2 });
  media.plays[0]?.finish({ durationMs: 1500 });
  assert.deepEqual(await p1.done, { status: 'done', durationMs: 1000 + 500 });
  const p2 = ch.play('tone_stream://%(100,100,440)', { terminators: '#*' });
  media.receiveDtmf('1');
  media.receiveDtmf('#');
  assert.deepEqual(await p2.done, { status: 'stopped', durationMs: 1000, terminator: '#' });
  const r1 = ch.record('/tmp/rec.wav', { maxDurationMs: 5000, terminators: 'any' });
  media.receiveDtmf('7');
  assert.deepEqual(await r1.done, { status: 'stopped', durationMs: 1000, reason: 'terminator', terminator: '7' });
  media.failing.add('play');
  const p3 = await ch.play('/missing.wav').done;
  assert.equal(p3.status, 'failed');
  media.failing.delete('play');
  const p4 = ch.play('/long.wav');
  const r2 = ch.record('/tmp/r2.wav');
  await ch.hangup();
  assert.equal((await p4.done).status, 'stopped');
  assert.equal((await r2.done).status, 'stopped');
  await h.flush();
  const started = h.events.filter((e) => e.name === 'playback.started' || e.name === 'record.started').length;
  const stopped = h.events.filter((e) => e.name === 'playback.stopped' || e.name === 'record.stopped').length;
  assert.equal(started, 5);
  assert.equal(stopped, 5, 'a failed start emits nothing; every started one stops');
  await h.finish();
});

test('media controls delegate to ChannelMedia; no media and media errors are results', async () => {
  const h = createHarness();
  const { ch, media } = inbound(h);
  assert.deepEqual(await ch.sendDtmf('123#'), { ok: true });
  assert.deepEqual(ch.echo(true), { ok: true });
  assert.deepEqual(ch.stopPlayback(), { ok: true });
  assert.deepEqual(media.sentDtmf, ['123#']);
  assert.equal(media.echoing, true);
  media.failing.add('sendDtmf');
  media.failing.add('echo');
  assert.equal((await ch.sendDtmf('1')).ok ? '' : 'failed', 'failed');
  const e = ch.echo(false);
  assert.equal(e.ok ? '' : e.error.code, 'CORE_MEDIA_FAILED');
  const bare = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() });
  for (const r of [await bare.sendDtmf('1'), bare.echo(true), bare.stopPlayback()]) assert.equal(r.ok ? '' : r.error.code, 'CORE_NO_MEDIA');
  assert.equal((await bare.play('/a.wav').done).error, 'channel has no media');
  const replacement = new FakeMedia('second');
  bare.attachMedia(media);
  bare.attachMedia(replacement);
  assert.equal(media.closed, 1, 'replaced media is closed');
  await bare.hangup();
  await ch.hangup();
  const late = new FakeMedia('late');
  ch.attachMedia(late);
  assert.equal(late.closed, 1, 'media attached after hangup is closed at once');
  await h.finish();
});

test('hold, transfer and INFO through the driver; a driver without them reports CORE_NOT_SUPPORTED', async () => {
  const h = createHarness();
  const { ch, driver } = inbound(h);
  await ch.answer();
  assert.deepEqual(await ch.hold(true), { ok: true });
  assert.equal(ch.held, true);
  assert.deepEqual(await ch.hold(false), { ok: true });
  assert.deepEqual(await ch.transfer('sip:3000@example.com'), { ok: true });
  assert.deepEqual(await ch.sendInfo({ contentType: 'application/dtmf-relay', body: 'Signal=1' }), { ok: true });
  assert.deepEqual(driver.calls.slice(1), ['hold:true', 'hold:false', 'transfer:sip:3000@example.com', 'info:application/dtmf-relay']);
  const holds = h.events.flatMap((e) => (e.name === 'channel.hold' ? [`${e.payload.held}/${e.payload.by}`] : []));
  assert.deepEqual(holds, ['true/local', 'false/local']);
  const minimal: ChannelDriver = { ring: async () => ({ ok: true }), progress: async () => ({ ok: true }), answer: async () => ({ ok: true }), hangup: async () => {} };
  const m = h.sw.createChannel({ direction: 'inbound', endpoint: 'webrtc', driver: minimal });
  await m.answer();
  for (const r of [await m.hold(true), await m.transfer('x'), await m.sendInfo({ contentType: 'a', body: '' })]) {
    assert.equal(r.ok ? '' : r.error.code, 'CORE_NOT_SUPPORTED');
  }
  await m.hangup();
  await ch.hangup();
  await h.finish();
});

test('a throwing or rejecting listener never breaks the call', async () => {
  const h = createHarness();
  h.sw.bus.on('channel.answered', () => { throw new Error('bad subscriber'); });
  h.sw.bus.on('channel.hangup', async () => { throw new Error('bad async subscriber'); });
  h.sw.bus.onAny(() => { throw new Error('bad catch-all'); });
  const { ch } = inbound(h);
  ch.on('answered', () => { throw new Error('bad local listener'); });
  assert.deepEqual(await ch.answer(), { ok: true });
  await ch.hangup();
  await h.flush();
  assert.equal(ch.state, 'destroyed');
  await h.finish();
  assert.equal(await h.store.count(), 1);
});

test('snapshot carries identity, state, parties, variables and links', async () => {
  const h = createHarness();
  const { ch } = inbound(h, { uuid: 'u-1', parentUuid: 'p-1', callee: { number: '2000', name: 'Bob', uri: 'sip:2000@x' } });
  ch.setCallee({ name: 'Robert' });
  const s = ch.snapshot();
  assert.deepEqual(s, {
    uuid: 'u-1', name: 'sip/1000@10.0.0.5', endpoint: 'sip', direction: 'inbound', state: 'new',
    caller: { number: '1000', name: 'Alice' }, callee: { number: '2000', name: 'Robert', uri: 'sip:2000@x' },
    destination: '2000', user: '1000', parentUuid: 'p-1', variables: { sip_call_id: 'abc' },
    times: { created: 1_700_000_000_000 }, held: false,
  });
  (s.variables as Record<string, string>)['sip_call_id'] = 'changed';
  assert.equal(ch.getVariable('sip_call_id'), 'abc', 'snapshots are copies');
  assert.throws(() => h.sw.createChannel({ uuid: 'u-1', direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() }), /already exists/);
  await ch.hangup();
  await h.finish();
});
