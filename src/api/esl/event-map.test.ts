/** Bus -> FreeSWITCH event mapping (specs/esl.md §4.4 generation order, §4.2 channel block). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeDriver, FakeEndpoint, FakeMedia, answerAfter, createHarness } from '../../core/testing/index.ts';
import { mapBusEvent } from './event-map.ts';
import type { EventDraft } from './event-stamp.ts';

function drafts(h: ReturnType<typeof createHarness>): EventDraft[] {
  return h.events.flatMap((e) => mapBusEvent(e, { lookup: (u) => h.sw.channel(u)?.snapshot(), hostname: 'pbx1', now: h.sw.now() }));
}

const label = (d: EventDraft): string => {
  const get = (n: string): string | undefined => d.headers.find(([k]) => k === n)?.[1] as string | undefined;
  if (d.name === 'CHANNEL_STATE') return `STATE ${get('Channel-State')}`;
  if (d.name === 'CHANNEL_CALLSTATE') return `CALLSTATE ${get('Original-Channel-Call-State')}->${get('Channel-Call-State')}`;
  return d.name;
};

describe('esl event mapping', () => {
  it('inbound call answered then hung up: FreeSWITCH generation order', async () => {
    const h = createHarness();
    h.sw.router.register({ name: 'r', number: '9196' }, async (ch) => { await ch.answer(); });
    const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), name: 'sip/1000@10.0.0.5',
      caller: { number: '1000', name: 'Alice Smith' }, destination: '9196' });
    ch.attachMedia(new FakeMedia());
    await h.sw.route(ch);
    ch.dtmf('#', 250, 'rfc4733');
    await ch.hangup('NORMAL_CLEARING');
    await h.flush();
    const list = drafts(h);
    assert.deepEqual(list.map(label), [
      'STATE CS_INIT', 'CHANNEL_CREATE', 'CALLSTATE DOWN->RINGING', 'STATE CS_ROUTING', 'CHANNEL_ANSWER',
      'CALLSTATE RINGING->ACTIVE', 'STATE CS_EXECUTE', 'DTMF', 'CHANNEL_HANGUP', 'STATE CS_HANGUP', 'CALLSTATE ACTIVE->HANGUP',
      'STATE CS_REPORTING', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY', 'STATE CS_DESTROY',
    ]);
    const answer = list.find((d) => d.name === 'CHANNEL_ANSWER')!;
    const names = answer.headers.map(([n]) => n);
    assert.deepEqual(names.slice(0, 11), ['Channel-State', 'Channel-Call-State', 'Channel-State-Number', 'Channel-Name', 'Unique-ID',
      'Call-Direction', 'Presence-Call-Direction', 'Channel-HIT-Dialplan', 'Channel-Call-UUID', 'Answer-State', 'Caller-Direction']);
    assert.ok(names.indexOf('Caller-Caller-ID-Name') < names.indexOf('Caller-Destination-Number'));
    assert.ok(names.includes('variable_uuid'));
    const dtmf = list.find((d) => d.name === 'DTMF')!;
    assert.deepEqual(dtmf.headers.slice(-3), [['DTMF-Digit', '#'], ['DTMF-Duration', '2000'], ['DTMF-Source', 'RTP']]);
    assert.ok(!dtmf.headers.some(([n]) => n.startsWith('variable_')), 'DTMF carries only the basic block');
    const complete = list.find((d) => d.name === 'CHANNEL_HANGUP_COMPLETE')!;
    assert.deepEqual(complete.headers[0], ['Hangup-Cause', 'NORMAL_CLEARING']);
    assert.ok(complete.headers.some(([n, v]) => n === 'variable_hangup_cause_q850' && v === '16'));
    await h.finish();
  });

  it('an originated leg: OUTGOING, STATE CS_INIT, CREATE, ORIGINATE; its parent as originator', async () => {
    const h = createHarness();
    h.sw.addEndpoint(new FakeEndpoint(h.clock, { behaviour: answerAfter(0) }));
    const a = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), name: 'sip/a' });
    const r = await h.sw.originate('fake:1000', { parent: a });
    assert.ok(r.ok);
    const list = drafts(h).filter((d) => d.headers.some(([n, v]) => n === 'Unique-ID' && v === r.channel.uuid));
    assert.deepEqual(list.slice(0, 4).map(label), ['CHANNEL_OUTGOING', 'STATE CS_INIT', 'CHANNEL_CREATE', 'CHANNEL_ORIGINATE']);
    const outgoing = Object.fromEntries(list[0]!.headers);
    assert.equal(outgoing['Channel-State'], 'CS_NEW');
    assert.equal(outgoing['Other-Type'], 'originator');
    assert.equal(outgoing['Other-Leg-Unique-ID'], a.uuid);
    assert.ok(list[3]!.headers.some(([n]) => n === 'variable_uuid'), 'ORIGINATE carries the variables');
    await r.channel.hangup();
    await a.hangup();
    await h.finish();
  });

  it('conference events become CUSTOM conference::maintenance with an Action', async () => {
    const h = createHarness();
    const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), name: 'sip/a' });
    ch.attachMedia(new FakeMedia());
    await ch.answer();
    assert.ok(h.sw.joinConference(ch, 'room1').ok);
    await ch.hangup();
    await h.flush();
    const custom = drafts(h).filter((d) => d.name === 'CUSTOM');
    assert.ok(custom.every((d) => d.subclass === 'conference::maintenance'));
    assert.deepEqual(custom.map((d) => d.headers.at(-1)?.[1]), ['conference-create', 'add-member', 'del-member', 'conference-destroy']);
    assert.equal(custom[1]!.headers[0]?.[1], 'room1');
    await h.finish();
  });
});

describe('registration events -> CUSTOM sofia::register / unregister / expire', () => {
  const registration = {
    user: '1000', domain: 'pbx.example', aor: 'sip:1000@pbx.example', contact: 'sip:1000@127.0.0.1:5062', expiresAt: 1_000_060_000,
    callId: 'c1', networkIp: '127.0.0.1', networkPort: 5062, transport: 'udp', userAgent: 'phone/1',
  };
  const ctx = { lookup: () => undefined, hostname: 'pbx1', now: 1_000_000_000 };
  it('maps added to sofia::register with the original header names', () => {
    const [d] = mapBusEvent({ name: 'registration.added', payload: { registration, refreshed: false } }, ctx);
    assert.equal(d?.name, 'CUSTOM');
    assert.equal(d?.subclass, 'sofia::register');
    const h = Object.fromEntries(d?.headers ?? []);
    assert.equal(h['from-user'], '1000');
    assert.equal(h['contact'], '"1000" <sip:1000@127.0.0.1:5062>');
    assert.equal(h['status'], 'Registered(UDP)');
    assert.equal(h['expires'], '60');
    assert.equal(h['network-port'], '5062');
  });
  it('maps removed to sofia::unregister, expired to sofia::expire', () => {
    const un = mapBusEvent({ name: 'registration.removed', payload: { registration, reason: 'unregistered' } }, ctx);
    const ex = mapBusEvent({ name: 'registration.removed', payload: { registration, reason: 'expired' } }, ctx);
    assert.equal(un[0]?.subclass, 'sofia::unregister');
    assert.equal(ex[0]?.subclass, 'sofia::expire');
  });
});
