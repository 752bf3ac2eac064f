/**
 * The small dialplan applications of specs/esl.md §6 run on a switch on virtual time: set_global,
 * push / unshift, queue_dtmf, sched_transfer, endless_playback, gentones, respond, redirect, deflect,
 * record_session / stop_record_session.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventHeader } from '../esl-event.ts';
import { FakeDriver, FakeMedia, createHarness } from '../../../core/testing/index.ts';
import { kit as makeKit } from './test-support.ts';
import { arrayElements, encodeArray } from './variable-apps.ts';
import { gentonesUrl } from './tone-apps.ts';
import { contactOf, parseRespondArg } from './signalling-apps.ts';
import { parseQueueDtmf } from './dtmf-queue-apps.ts';
import { parseRecordSessionArg } from './record-session-apps.ts';

const kit = async () => makeKit(createHarness(), () => new FakeDriver(), () => new FakeMedia());

describe('set_global, push, unshift (specs/esl.md §6)', () => {
  it('encodes array variables as the original', () => {
    assert.deepEqual(arrayElements(undefined), []);
    assert.deepEqual(arrayElements('a'), ['a']);
    assert.deepEqual(arrayElements('ARRAY::a|:b'), ['a', 'b']);
    assert.equal(encodeArray(['a']), 'a');
    assert.equal(encodeArray(['a', 'b', 'c']), 'ARRAY::a|:b|:c');
  });

  it('set_global sets and clears a global; push appends, unshift prepends', async () => {
    const k = await kit();
    const { ch } = await k.call({ answered: true });
    assert.equal(await k.runner.execute(ch, 'set_global', 'moh=local_stream://moh'), '_none_');
    assert.equal(k.runner.globals.get('moh'), 'local_stream://moh');
    await k.runner.execute(ch, 'set_global', 'moh=');
    assert.equal(k.runner.globals.has('moh'), false);
    assert.equal(await k.runner.execute(ch, 'set_global', 'novalue'), '-ERR');
    await k.runner.execute(ch, 'push', 'list=b');
    assert.equal(ch.getVariable('list'), 'b');
    await k.runner.execute(ch, 'push', 'list=c');
    await k.runner.execute(ch, 'unshift', 'list=a');
    assert.equal(ch.getVariable('list'), 'ARRAY::a|:b|:c');
    await k.done();
  });
});

describe('queue_dtmf / flush_dtmf', () => {
  it('parses digits and duration', () => {
    assert.deepEqual(parseQueueDtmf('12#x@250'), { digits: ['1', '2', '#'], durationMs: 250 });
    assert.deepEqual(parseQueueDtmf('9'), { digits: ['9'], durationMs: 100 });
  });

  it('queued digits arrive as DTMF events with source APP', async () => {
    const k = await kit();
    const { ch } = await k.call({ answered: true });
    const got: string[] = [];
    ch.on('dtmf', (d) => got.push(d.digit));
    assert.equal(await k.runner.execute(ch, 'queue_dtmf', '12#'), '_none_');
    assert.deepEqual(got, ['1', '2', '#']);
    await k.h.flush();
    const dtmf = k.events.filter((e) => eventHeader(e, 'Event-Name') === 'DTMF');
    assert.deepEqual(dtmf.map((e) => eventHeader(e, 'DTMF-Source')), ['APP', 'APP', 'APP']);
    assert.equal(await k.runner.execute(ch, 'queue_dtmf', 'xyz'), '-ERR');
    assert.equal(await k.runner.execute(ch, 'flush_dtmf', ''), '_none_');
    await k.done();
  });
});

describe('sched_transfer', () => {
  it('routes the channel again after the delay, not before', async () => {
    const k = await kit();
    const routed: string[] = [];
    k.h.sw.router.register({ name: 'later', number: '5000' }, async (c) => { routed.push(c.uuid); });
    const { ch } = await k.call({ answered: true });
    assert.equal(await k.runner.execute(ch, 'sched_transfer', 'soon 5000'), '-ERR');
    assert.equal(await k.runner.execute(ch, 'sched_transfer', '+5'), '-ERR');
    assert.equal(await k.runner.execute(ch, 'sched_transfer', '+5 5000'), '_none_');
    await k.h.tick(4_000);
    assert.deepEqual(routed, []);
    await k.h.tick(1_500);
    assert.deepEqual(routed, [ch.uuid]);
    await k.done();
  });

  it('is dropped when the call hangs up first', async () => {
    const k = await kit();
    const { ch } = await k.call({ answered: true });
    await k.runner.execute(ch, 'sched_transfer', '+60 5000');
    await ch.hangup();
    await k.done();
  });
});

describe('endless_playback and gentones', () => {
  it('gentones builds a tone_stream URL', () => {
    assert.equal(gentonesUrl('%(500,0,800)'), 'tone_stream://%(500,0,800)');
    assert.equal(gentonesUrl('%(500,0,800)|3'), 'tone_stream://%(500,0,800);loops=3');
    assert.equal(gentonesUrl('%(100,100,350,440)|-1'), 'tone_stream://%(100,100,350,440);loops=-1');
    assert.equal(gentonesUrl('  '), undefined);
  });

  it('endless_playback plays again until break', async () => {
    const k = await kit();
    const { ch, media } = await k.call({ answered: true });
    const result = k.runner.execute(ch, 'endless_playback', '/tmp/moh.wav');
    await k.h.flush();
    media.plays[0]!.finish();
    await k.h.flush();
    media.plays[1]!.finish();
    await k.h.flush();
    assert.equal(media.plays.length, 3);
    assert.ok(media.plays.every((p) => p.spec === '/tmp/moh.wav'));
    ch.stopPlayback();
    assert.equal(await result, 'FILE PLAYED');
    await k.done();
  });

  it('gentones plays the script and pre-answers an inbound leg', async () => {
    const k = await kit();
    const { ch, media, driver } = await k.call();
    const result = k.runner.execute(ch, 'gentones', '%(500,0,800)|2');
    await k.h.flush();
    assert.ok(driver.calls.includes('progress:true'));
    assert.equal(media.plays[0]?.spec, 'tone_stream://%(500,0,800);loops=2');
    media.plays[0]!.finish();
    assert.equal(await result, '_none_');
    await k.done();
  });
});

describe('respond, redirect, deflect', () => {
  it('parses the status and the contact', () => {
    assert.deepEqual(parseRespondArg('486 Busy Here'), { status: 486, reason: 'Busy Here' });
    assert.deepEqual(parseRespondArg('183'), { status: 183 });
    assert.equal(parseRespondArg('abc'), undefined);
    assert.equal(parseRespondArg('99'), undefined);
    assert.equal(contactOf('sip:1000@example.com'), '<sip:1000@example.com>');
    assert.equal(contactOf('<sip:1000@example.com>'), '<sip:1000@example.com>');
  });

  it('respond 180 / 183 ring and send early media; 486 rejects with that status and reason', async () => {
    const k = await kit();
    const { ch, driver } = await k.call();
    assert.equal(await k.runner.execute(ch, 'respond', '180'), '_none_');
    assert.equal(await k.runner.execute(ch, 'respond', '183'), '_none_');
    assert.deepEqual(driver.calls.slice(0, 2), ['ring', 'progress:true']);
    assert.equal(await k.runner.execute(ch, 'respond', '486 Gone Fishing'), '_none_');
    assert.equal(ch.ended, true);
    assert.equal(driver.hangups[0]?.options.sipStatus, 486);
    assert.equal(driver.hangups[0]?.options.reason, 'Gone Fishing');
    assert.equal(ch.hangupCause, 'USER_BUSY');
    await k.done();
  });

  it('respond with a final status on an answered leg is an error', async () => {
    const k = await kit();
    const { ch, driver } = await k.call({ answered: true });
    assert.equal(await k.runner.execute(ch, 'respond', '503'), '-ERR');
    assert.equal(ch.ended, false);
    assert.equal(driver.hangups.length, 0);
    await k.done();
  });

  it('redirect answers an unanswered leg with 302 and Contact', async () => {
    const k = await kit();
    const { ch, driver } = await k.call();
    assert.equal(await k.runner.execute(ch, 'redirect', 'sip:2000@10.0.0.9'), '_none_');
    assert.equal(driver.hangups[0]?.options.sipStatus, 302);
    assert.deepEqual(driver.hangups[0]?.options.headers, { Contact: '<sip:2000@10.0.0.9>' });
    await k.done();
  });

  it('deflect sends REFER on an answered leg; a refusal is -ERR', async () => {
    const k = await kit();
    const { ch, driver } = await k.call({ answered: true });
    assert.equal(await k.runner.execute(ch, 'deflect', 'sip:3000@10.0.0.9'), '_none_');
    assert.ok(driver.calls.includes('transfer:sip:3000@10.0.0.9'));
    driver.behaviour.set('transfer', 'refuse');
    assert.equal(await k.runner.execute(ch, 'deflect', '<sip:3000@10.0.0.9>'), '-ERR');
    assert.equal(await k.runner.execute(ch, 'deflect', ''), '-ERR');
    await k.done();
  });
});

describe('record_session / stop_record_session', () => {
  it('parses path, limit and variables', () => {
    assert.deepEqual(parseRecordSessionArg('/tmp/a.wav'), { path: '/tmp/a.wav', variables: {} });
    assert.deepEqual(parseRecordSessionArg('/tmp/a.wav +30'), { path: '/tmp/a.wav', limitSecs: 30, variables: {} });
    assert.deepEqual(parseRecordSessionArg('/tmp/a.wav 30 {RECORD_STEREO=true,x=y}'), { path: '/tmp/a.wav', limitSecs: 30, variables: { RECORD_STEREO: 'true', x: 'y' } });
    assert.equal(parseRecordSessionArg(''), undefined);
  });

  it('records in the background, shares uuid_record state, stops by path or all', async () => {
    const k = await kit();
    const { ch, media } = await k.call({ answered: true });
    assert.equal(await k.runner.execute(ch, 'record_session', '/tmp/a.wav +30'), '_none_');
    assert.equal(await k.runner.execute(ch, 'record_session', '/tmp/b.wav'), '_none_');
    assert.deepEqual(media.records.map((r) => r.spec), ['/tmp/a.wav', '/tmp/b.wav']);
    assert.deepEqual(media.records[0]?.options, { maxDurationMs: 30_000 });
    assert.deepEqual([...(k.runner.recordings.get(ch.uuid)?.keys() ?? [])], ['/tmp/a.wav', '/tmp/b.wav']);
    assert.equal(await k.runner.execute(ch, 'stop_record_session', '/tmp/a.wav'), '_none_');
    await k.h.flush();
    assert.equal(media.records[0]?.settled, true);
    assert.equal(media.records[1]?.settled, false);
    assert.equal(await k.runner.execute(ch, 'stop_record_session', '/tmp/none.wav'), '-ERR');
    assert.equal(await k.runner.execute(ch, 'stop_record_session', 'all'), '_none_');
    await k.h.flush();
    assert.equal(media.records[1]?.settled, true);
    await k.h.flush();
    const names = k.events.map((e) => eventHeader(e, 'Event-Name'));
    assert.equal(names.filter((n) => n === 'RECORD_START').length, 2);
    assert.equal(names.filter((n) => n === 'RECORD_STOP').length, 2);
    await k.done();
    assert.equal(k.runner.recordings.size, 0);
  });
});
