/** Subscription and filter semantics of specs/esl.md §2.2 (event, nixevent, filter). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EslEvent } from './esl-event.ts';
import { Subscription, passesFilters, type Filter } from './subscription.ts';

const ev = (name: string, extra: [string, string][] = []): EslEvent => ({ headers: [['Event-Name', name], ...extra] });

describe('esl subscription', () => {
  it('adds names case-insensitively, with SWITCH_EVENT_ prefix; unknown names ignored', () => {
    const s = new Subscription();
    assert.equal(s.add(['channel_create', 'SWITCH_EVENT_DTMF', 'NOPE', '']), 2);
    assert.ok(s.matches(ev('CHANNEL_CREATE')));
    assert.ok(s.matches(ev('DTMF')));
    assert.ok(!s.matches(ev('HEARTBEAT')));
  });

  it('CUSTOM makes later tokens subclasses; CUSTOM alone passes only subclass-less custom events', () => {
    const s = new Subscription();
    s.add(['CUSTOM', 'conference::maintenance']);
    assert.ok(s.matches(ev('CUSTOM', [['Event-Subclass', 'conference::maintenance']])));
    assert.ok(!s.matches(ev('CUSTOM', [['Event-Subclass', 'sofia::register']])));
    assert.ok(s.matches(ev('CUSTOM')));
  });

  it('ALL takes everything; nixevent expands ALL and removes a name', () => {
    const s = new Subscription();
    s.add(['ALL']);
    assert.ok(s.matches(ev('CUSTOM', [['Event-Subclass', 'x::y']])));
    assert.equal(s.remove(['HEARTBEAT']), 1);
    assert.ok(!s.matches(ev('HEARTBEAT')));
    assert.ok(s.matches(ev('CHANNEL_ANSWER')));
    assert.equal(s.remove(['bogus']), 0);
  });
});

describe('esl filters', () => {
  const f = (header: string, value: string): Filter => ({ header, value });
  const answer = ev('CHANNEL_ANSWER', [['Unique-ID', 'abc'], ['Caller-Caller-ID-Number', '1000']]);
  const heartbeat = ev('HEARTBEAT');
  const cases: { name: string; filters: Filter[]; event: EslEvent; pass: boolean }[] = [
    { name: 'no filters pass', filters: [], event: answer, pass: true },
    { name: 'exact match, case-insensitive', filters: [f('unique-id', 'ABC')], event: answer, pass: true },
    { name: 'mismatch rejects', filters: [f('Unique-ID', 'x')], event: answer, pass: false },
    { name: 'event lacking the header is dropped', filters: [f('Unique-ID', 'abc')], event: heartbeat, pass: false },
    { name: 'two values: either passes', filters: [f('Unique-ID', 'x'), f('Unique-ID', 'abc')], event: answer, pass: true },
    { name: 'reject filter wins', filters: [f('Event-Name', 'CHANNEL_ANSWER'), f('Unique-ID', '-abc')], event: answer, pass: false },
    { name: 'only reject filters block everything', filters: [f('Unique-ID', '-zzz')], event: answer, pass: false },
    { name: '+ prefix is accept', filters: [f('Unique-ID', '+abc')], event: answer, pass: true },
    { name: 'regex', filters: [f('Caller-Caller-ID-Number', '/^10\\d\\d$/')], event: answer, pass: true },
    { name: '-/re/ compared literally', filters: [f('Event-Name', 'CHANNEL_ANSWER'), f('Unique-ID', '-/a.c/')], event: answer, pass: true },
  ];
  for (const c of cases) it(c.name, () => assert.equal(passesFilters(c.filters, c.event), c.pass));
});
