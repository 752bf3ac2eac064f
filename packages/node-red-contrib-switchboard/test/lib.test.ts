import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasTemplate, lookupPath, renderDeep, renderTemplate } from '../src/lib/template';
import { dropEmpty, isEmpty, setPath } from '../src/lib/drop-empty';
import { coerce, PropertyError } from '../src/lib/property';
import { lccBody, LccError, LCC_ACTIONS } from '../src/lib/lcc-body';
import { accountUrl, checkTarget, errorMessage, RestError } from '../src/lib/rest-client';
import { classifyHook, normalizePath } from '../src/lib/hook-kind';
import { BodyError, parseBody } from '../src/lib/read-body';
import { grantExpires } from '../src/lib/auth-grant';
import { configKey } from '../src/lib/verb-table';

describe('template', () => {
  it('renders double, triple and ampersand tags without escaping', () => {
    const view = { call: { from: '<alice>', n: 3 }, list: ['a', 'b'], obj: { x: 1 } };
    assert.equal(renderTemplate('{{call.from}} {{{call.from}}} {{& call.n}}', view), '<alice> <alice> 3');
    assert.equal(renderTemplate('{{ list.1 }}|{{missing.deep}}|{{obj}}', view), 'b||{"x":1}');
    assert.equal(hasTemplate('plain'), false);
    assert.equal(hasTemplate('a {{b}}'), true);
    assert.equal(lookupPath(view, '.'), view);
    assert.deepEqual(renderDeep({ a: ['{{call.n}}', 2], b: { c: '{{call.from}}' } }, view), { a: ['3', 2], b: { c: '<alice>' } });
  });
});

describe('dropEmpty', () => {
  it('drops empty top-level values, keeps false and 0 and leaves values inside alone', () => {
    assert.deepEqual(dropEmpty({ a: '', b: null, c: undefined, d: {}, e: [], f: false, g: 0, h: { i: '' }, l: ['', 'x'] }), { f: false, g: 0, h: { i: '' }, l: ['', 'x'] });
    assert.equal(isEmpty(Number.NaN), true);
    const o: Record<string, unknown> = { a: 'x' };
    setPath(o, 'a.b.c', 1);
    setPath(o, 'd', 2);
    assert.deepEqual(o, { a: { b: { c: 1 } }, d: 2 });
  });
});

describe('property coercion', () => {
  it('coerces by kind', () => {
    assert.equal(coerce('p', 'number', ' 42 '), 42);
    assert.equal(coerce('p', 'number', ''), undefined);
    assert.throws(() => coerce('p', 'number', 'abc'), PropertyError);
    assert.equal(coerce('p', 'boolean', 'TRUE'), true);
    assert.throws(() => coerce('p', 'boolean', 'yes'), /not true or false/);
    assert.deepEqual(coerce('p', 'list', 'digits, speech,'), ['digits', 'speech']);
    assert.deepEqual(coerce('p', 'list', '["a"]'), ['a']);
    assert.deepEqual(coerce('p', 'list', 5), [5]);
    assert.deepEqual(coerce('p', 'objects', '{"type":"user","name":"bob"}'), [{ type: 'user', name: 'bob' }]);
    assert.deepEqual(coerce('p', 'json', '{"a":1}'), { a: 1 });
    assert.equal(coerce('p', 'json', 'not json'), 'not json');
    assert.equal(coerce('p', 'hook', '/x'), '/x');
  });

  it('maps reserved property names to other config keys', () => {
    assert.equal(configKey('name'), 'verb_name');
    assert.equal(configKey('credentials'), 'verb_credentials');
    assert.equal(configKey('synthesizer.vendor'), 'synthesizer_vendor');
  });
});

describe('live call control bodies', () => {
  it('builds exactly one update property per action', () => {
    const params = { callHook: '/a', text: 't', sipMethod: 'INFO', dtmf: '1', tag: { a: 1 } };
    for (const action of LCC_ACTIONS) {
      const body = JSON.parse(JSON.stringify(lccBody(action, params))) as Record<string, unknown>;
      assert.equal(Object.keys(body).length, action === 'hold_conf' && 'wait_hook' in body ? 2 : 1, action);
    }
    assert.deepEqual(lccBody('redirect', { childCallHook: '/b' }), { call_hook: undefined, child_call_hook: '/b' });
    assert.deepEqual(lccBody('whisper', { playUrl: 'http://x/a.wav' }), { whisper: { verb: 'play', url: 'http://x/a.wav' } });
  });

  it('refuses actions missing their data', () => {
    assert.throws(() => lccBody('redirect', {}), LccError);
    assert.throws(() => lccBody('sip_request', {}), /SIP method is required/);
    assert.throws(() => lccBody('send_dtmf', {}), /DTMF digits is required/);
    assert.throws(() => lccBody('tag', { tag: 'x' }), /tag must be a JSON object/);
  });
});

describe('rest client helpers', () => {
  it('builds account URLs from a base with or without /v1', () => {
    const t = { url: 'http://127.0.0.1:3000/', accountSid: 'AC 1', apiKey: 'k' };
    assert.equal(accountUrl(t, 'Calls'), 'http://127.0.0.1:3000/v1/Accounts/AC%201/Calls');
    assert.equal(accountUrl({ ...t, url: 'http://h/v1' }, 'Calls', { a: 'x', b: '', c: undefined }), 'http://h/v1/Accounts/AC%201/Calls?a=x');
  });

  it('extracts the server message from error bodies', () => {
    assert.equal(errorMessage(400, { msg: 'bad verb' }), '400: bad verb');
    assert.equal(errorMessage(422, { error: { message: 'call session is gone' } }), '422: call session is gone');
    assert.equal(errorMessage(500, undefined, 'Internal Server Error'), '500: Internal Server Error');
    assert.equal(errorMessage(500, 'x'.repeat(300)).length, 205);
  });

  it('checks the server configuration', () => {
    assert.throws(() => checkTarget(undefined), RestError);
    assert.throws(() => checkTarget({ url: 'ftp://x', accountSid: 'a', apiKey: 'k' }), /must be http/);
    assert.throws(() => checkTarget({ url: 'not a url', accountSid: 'a', apiKey: 'k' }), /invalid server URL/);
    assert.throws(() => checkTarget({ url: 'http://x', accountSid: '', apiKey: 'k' }), /no account sid/);
  });
});

describe('webhook helpers', () => {
  it('files hook bodies by their shape', () => {
    assert.equal(classifyHook({ call_sid: 'x', from: 'a' }), 'call');
    assert.equal(classifyHook({ method: 'REGISTER', username: 'u' }), 'authRequest');
    assert.equal(classifyHook({ provider: 'carrier', text: 'hi' }), 'sms');
    assert.equal(normalizePath('incoming'), '/incoming');
    assert.equal(normalizePath('  '), null);
  });

  it('parses JSON and form bodies and rejects the rest', () => {
    assert.deepEqual(parseBody('application/json; charset=utf-8', '{"a":1}'), { a: 1 });
    assert.deepEqual(parseBody('application/x-www-form-urlencoded', 'a=1&b=two'), { a: '1', b: 'two' });
    assert.deepEqual(parseBody('application/json', ''), {});
    assert.throws(() => parseBody('application/json', '[1]'), BodyError);
    assert.throws(() => parseBody('application/json', '{'), /invalid JSON body/);
    assert.throws(() => parseBody('image/png', 'x'), (e: unknown) => e instanceof BodyError && e.status === 415);
  });

  it('grants the smaller expiry', () => {
    assert.equal(grantExpires(3600, 300), 300);
    assert.equal(grantExpires('60', 300), 60);
    assert.equal(grantExpires(undefined, 300), 300);
    assert.equal(grantExpires(3600, undefined), 3600);
  });
});

describe('readBody', () => {
  it('uses a body another middleware already parsed or buffered', async () => {
    const { readBody } = await import('../src/lib/read-body');
    const { PassThrough } = await import('node:stream');
    const make = (body: unknown, type = 'application/json') => Object.assign(new PassThrough(), { headers: { 'content-type': type }, body }) as never;
    assert.deepEqual(await readBody(make({ a: 1 })), { a: 1 });
    assert.deepEqual(await readBody(make(Buffer.from('{"b":2}'))), { b: 2 });
    assert.deepEqual(await readBody(make('c=3', 'application/x-www-form-urlencoded')), { c: '3' });
    await assert.rejects(readBody(make('{')), BodyError);
  });

  it('reads the stream and refuses bodies over the limit', async () => {
    const { readBody } = await import('../src/lib/read-body');
    const { PassThrough } = await import('node:stream');
    const stream = (chunks: string[]) => {
      const s = Object.assign(new PassThrough(), { headers: { 'content-type': 'application/json' } });
      for (const c of chunks) s.write(c);
      s.end();
      return s as never;
    };
    assert.deepEqual(await readBody(stream(['{"a":', '1}'])), { a: 1 });
    await assert.rejects(readBody(stream(['x'.repeat(100)]), 10), (e: unknown) => e instanceof BodyError && e.status === 413);
  });
});

describe('editor defaults', () => {
  it('starts optional JSON and boolean inputs as "not set"', async () => {
    const { defaultTypeOf } = await import('../src/editor/render-html');
    assert.equal(defaultTypeOf('json'), 'unset');
    assert.equal(defaultTypeOf('objects', undefined, '[]'), 'json');
    assert.equal(defaultTypeOf('boolean'), 'unset');
    assert.equal(defaultTypeOf('number'), 'num');
    assert.equal(defaultTypeOf('string', 'msg'), 'msg');
  });
});
