import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandVars, expandVarsAsync, splitScope } from './expand-vars.ts';

const vars = new Map([['name', 'switchboard'], ['n', 'ame'], ['empty', '']]);
const globals = new Map([['domain', 'pbx.example'], ['name', 'global-name']]);
const lookup = (name: string, global: boolean): string | undefined => (global ? globals.get(name) : vars.get(name) ?? globals.get(name));

describe('expandVars', () => {
  it('channel, then global; $${} global only; unset is empty', () => {
    assert.equal(expandVars('a ${name} ${domain} $${name} [${nope}]', lookup), 'a switchboard pbx.example global-name []');
  });
  it('${var:offset[:length]} substrings, negative offsets from the end', () => {
    assert.equal(expandVars('${name:6}|${name:0:6}|${name:-5}|${name:-5:2}|${name:99}|${name:2:0}', lookup), 'board|switch|board|bo||itchboard');
  });
});

describe('expandVarsAsync', () => {
  it('runs ${api(args)} with expanded args and drops the trailing newline', async () => {
    const calls: string[] = [];
    const out = await expandVarsAsync('x=${upper(${name} ${name:0:1})}y', lookup, async (c, a) => {
      calls.push(`${c}|${a}`);
      return `${a.toUpperCase()}\n`;
    });
    assert.equal(out, 'x=SWITCHBOARD Sy');
    assert.deepEqual(calls, ['upper|switchboard s']);
  });
  it('nested names, substrings and globals as the sync form; no API runner -> empty', async () => {
    assert.equal(await expandVarsAsync('${n${empty}} ${nam${empty}e:0:3} $${domain} ${f(x)}.', lookup), 'ame swi pbx.example .');
  });
  it('an unclosed ${ is left as it is', async () => {
    assert.equal(await expandVarsAsync('a ${name} ${oops', lookup), 'a switchboard ${oops');
  });
});

describe('splitScope', () => {
  it('%[k=v,...] prefix -> variables and the rest; none or unclosed -> the text as it is', () => {
    assert.deepEqual(splitScope('%[a=1,b=x y]play ${a}'), { scope: { a: '1', b: 'x y' }, rest: 'play ${a}' });
    assert.deepEqual(splitScope('%[a=1'), { rest: '%[a=1' });
    assert.deepEqual(splitScope('plain %[a=1]'), { rest: 'plain %[a=1]' });
  });
});
