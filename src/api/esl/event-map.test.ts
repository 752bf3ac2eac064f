/** Bus -> FreeSWITCH event mapping (specs/esl.md §4.4 generation order, §4.2 channel block). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeDriver, FakeMedia, createHarness } from '../../core/testing/index.ts';
import { mapBusEvent } from './event-map.ts';
import type { EventDraft } from './event-stamp.ts';

function drafts(h: ReturnType<typeof createHarness>): EventDraft[] {
  return h.events.flatMap((e) => mapBusEvent(e, { lookup: (u) => h.sw.channel(u)?.snapshot(), hostname: 'pbx1' }));
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
