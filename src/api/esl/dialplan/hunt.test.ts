import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expandSimple, huntDialplan, substituteCaptures, type DialplanExtension, type HuntInput } from './hunt.ts';

const input = (fields: HuntInput['fields'], variables: Record<string, string> = {}): HuntInput => ({ fields, variables });
const steps = (exts: DialplanExtension[], i: HuntInput): string[] => huntDialplan(exts, i).steps.map((s) => `${s.app} ${s.data}`.trim());

describe('dialplan hunt', () => {
  it('a destination_number condition collects its actions with the captures', () => {
    const exts: DialplanExtension[] = [{
      name: 'tones', conditions: [{ field: 'destination_number', expression: '^7(\\d)(\\d+)$', actions: [
        { app: 'answer' }, { app: 'playback', data: 'tone_stream://%($2,0,$1)' }, { app: 'log', data: 'all=$0 none=$7' },
      ] }],
    }];
    assert.deepEqual(steps(exts, input({ destination_number: '74400' })), ['answer', 'playback tone_stream://%(400,0,4)', 'log all=74400 none=']);
    assert.deepEqual(huntDialplan(exts, input({ destination_number: '74400' })).matched, ['tones']);
    assert.deepEqual(steps(exts, input({ destination_number: '8000' })), []);
  });

  it('the first matching extension wins; continue goes on hunting', () => {
    const exts: DialplanExtension[] = [
      { name: 'a', conditions: [{ field: 'destination_number', expression: '^1', actions: [{ app: 'set', data: 'a=1' }] }] },
      { name: 'b', conditions: [{ field: 'destination_number', expression: '^12', actions: [{ app: 'park' }] }] },
    ];
    assert.deepEqual(steps(exts, input({ destination_number: '123' })), ['set a=1']);
    const cont = [{ ...exts[0]!, continue: true }, exts[1]!];
    assert.deepEqual(steps(cont, input({ destination_number: '123' })), ['set a=1', 'park']);
    assert.deepEqual(huntDialplan(cont, input({ destination_number: '123' })).matched, ['a', 'b']);
  });

  it('anti-actions run on a miss, and are kept even when the extension does not match', () => {
    const exts: DialplanExtension[] = [
      { name: 'vip', conditions: [{ field: 'caller_id_number', expression: '^1000$', actions: [{ app: 'set', data: 'vip=yes' }], antiActions: [{ app: 'set', data: 'vip=no' }] }] },
      { name: 'all', conditions: [{ field: 'destination_number', expression: '.', actions: [{ app: 'park' }] }] },
    ];
    assert.deepEqual(steps(exts, input({ caller_id_number: '1000', destination_number: '5' })), ['set vip=yes']);
    assert.deepEqual(steps(exts, input({ caller_id_number: '2000', destination_number: '5' })), ['set vip=no', 'park']);
  });

  it('all conditions of an extension must hold (break on-false by default)', () => {
    const exts: DialplanExtension[] = [{ name: 'x', conditions: [
      { field: 'destination_number', expression: '^5000$', actions: [{ app: 'answer' }] },
      { field: 'caller_id_name', expression: '^Alice', actions: [{ app: 'park' }], antiActions: [{ app: 'hangup', data: 'CALL_REJECTED' }] },
      { field: 'network_addr', expression: '^127\\.', actions: [{ app: 'echo' }] },
    ] }];
    assert.deepEqual(steps(exts, input({ destination_number: '5000', caller_id_name: 'Alice', network_addr: '127.0.0.1' })), ['answer', 'park', 'echo']);
    // The second condition fails: its anti-action, and the earlier actions stay collected.
    const r = huntDialplan(exts, input({ destination_number: '5000', caller_id_name: 'Bob', network_addr: '127.0.0.1' }));
    assert.deepEqual(r.steps.map((s) => s.app), ['answer', 'hangup']);
    assert.deepEqual(r.matched, []);
  });

  it('break never / on-true / always', () => {
    const mk = (mode: 'never' | 'on-true' | 'always'): DialplanExtension[] => [{ name: 'x', conditions: [
      { field: 'destination_number', expression: '^9', break: mode, actions: [{ app: 'a1' }], antiActions: [{ app: 'n1' }] },
      { field: 'destination_number', expression: '.', actions: [{ app: 'a2' }] },
    ] }];
    assert.deepEqual(steps(mk('never'), input({ destination_number: '1' })), ['n1', 'a2']);
    assert.deepEqual(steps(mk('never'), input({ destination_number: '9' })), ['a1', 'a2']);
    assert.deepEqual(steps(mk('on-true'), input({ destination_number: '9' })), ['a1']);
    assert.deepEqual(steps(mk('on-true'), input({ destination_number: '1' })), ['n1', 'a2']);
    assert.deepEqual(steps(mk('always'), input({ destination_number: '1' })), ['n1']);
    assert.deepEqual(steps(mk('always'), input({ destination_number: '9' })), ['a1']);
  });

  it('an extension matches when its last tried condition matched (break never on a failing last one: no match)', () => {
    const exts: DialplanExtension[] = [
      { name: 'x', conditions: [
        { field: 'destination_number', expression: '^1', actions: [{ app: 'a1' }] },
        { field: 'caller_id_number', expression: '^0', break: 'never', antiActions: [{ app: 'n2' }] },
      ] },
      { name: 'y', conditions: [{ field: 'destination_number', expression: '.', actions: [{ app: 'a3' }] }] },
    ];
    assert.deepEqual(steps(exts, input({ destination_number: '1', caller_id_number: '5' })), ['a1', 'n2', 'a3']);
    assert.deepEqual(steps(exts, input({ destination_number: '1', caller_id_number: '0' })), ['a1']);
  });

  it('${var} fields test channel variables; unknown fields and variables are empty', () => {
    const exts: DialplanExtension[] = [
      { name: 'v', conditions: [{ field: '${sip_h_X-Tier}', expression: '^gold$', actions: [{ app: 'park' }] }] },
      { name: 'empty', conditions: [{ field: 'no_such_field', expression: '^$', actions: [{ app: 'echo' }] }] },
    ];
    assert.deepEqual(steps(exts, input({}, { 'sip_h_X-Tier': 'gold' })), ['park']);
    assert.deepEqual(steps(exts, input({}, {})), ['echo']);
  });

  it('a condition without field always holds; without expression any value matches', () => {
    const exts: DialplanExtension[] = [{ name: 'x', conditions: [{ actions: [{ app: 'a' }] }, { field: 'ani', actions: [{ app: 'b', data: '$0' }] }] }];
    assert.deepEqual(steps(exts, input({ ani: '42' })), ['a', 'b 42']);
  });

  it('inline set takes effect during the hunt and is not collected', () => {
    const exts: DialplanExtension[] = [
      { name: 'tag', continue: true, conditions: [{ field: 'destination_number', expression: '^(\\d+)$', actions: [
        { app: 'set', data: 'target=$1-${caller_id_number}', inline: true }, { app: 'set', data: 'later=1' },
      ] }] },
      { name: 'use', conditions: [{ field: '${target}', expression: '^42-7$', actions: [{ app: 'park' }] }] },
    ];
    const r = huntDialplan(exts, input({ destination_number: '42', caller_id_number: '7' }));
    assert.deepEqual(r.steps.map((s) => `${s.app} ${s.data}`.trim()), ['set later=1', 'park']);
    assert.deepEqual(r.inlineVariables, [['target', '42-7']]);
    const unset = huntDialplan([{ name: 'u', conditions: [{ actions: [{ app: 'unset', data: 'x', inline: true }] }] }], input({}, { x: '1' }));
    assert.deepEqual(unset.inlineVariables, [['x', undefined]]);
    assert.deepEqual(unset.steps, []);
  });

  it('the steps name their extension; an unknown context yields nothing', () => {
    const r = huntDialplan([{ name: 'e1', conditions: [{ actions: [{ app: 'answer' }] }] }], input({}));
    assert.deepEqual(r.steps, [{ app: 'answer', data: '', extension: 'e1' }]);
    assert.deepEqual(huntDialplan(undefined, input({})), { steps: [], inlineVariables: [], matched: [] });
    assert.deepEqual(huntDialplan([{ name: 'none', conditions: [] }], input({})).matched, []);
  });

  it('substituteCaptures and expandSimple', () => {
    assert.equal(substituteCaptures('a$1b$2c$3', ['x', 'y', 'z']), 'aybzc');
    assert.equal(substituteCaptures('${x}$1', ['0', '1']), '${x}1');
    assert.equal(expandSimple('${a}-${destination_number}-${zz}', input({ destination_number: '5' }), new Map([['a', 'A']])), 'A-5-');
  });
});
