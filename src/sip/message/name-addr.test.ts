/** Table tests for name-addr / addr-spec values (RFC 3261 20.10, 25.1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatContact, formatNameAddr, parseContactList, parseNameAddr, parseNameAddrList } from './name-addr.ts';
import { SipParseError } from './errors.ts';
import type { Params } from './types.ts';

interface Row {
  text: string;
  displayName?: string;
  user?: string;
  host: string;
  uriParams?: Params;
  params?: Params;
}

const valid: Row[] = [
  { text: '<sip:alice@atlanta.com>', user: 'alice', host: 'atlanta.com' },
  { text: 'Alice <sip:alice@atlanta.com>;tag=1928301774', displayName: 'Alice', user: 'alice', host: 'atlanta.com', params: { tag: '1928301774' } },
  { text: '"Alice Liddell" <sip:alice@atlanta.com>', displayName: 'Alice Liddell', user: 'alice', host: 'atlanta.com' },
  { text: '"J Rosenberg \\\\\\""  <sip:jdrosen@example.com> ; tag = 98asjd8', displayName: 'J Rosenberg \\"', user: 'jdrosen', host: 'example.com', params: { tag: '98asjd8' } },
  { text: 'caller<sip:caller@example.com>;tag=323', displayName: 'caller', user: 'caller', host: 'example.com', params: { tag: '323' } },
  { text: "token1~` token2'+_ token3*%!.- <sip:mundane@example.com>", displayName: "token1~` token2'+_ token3*%!.-", user: 'mundane', host: 'example.com' },
  { text: '"\u00e9l\u00e8ve" <sip:e@x.org>', displayName: '\u00e9l\u00e8ve', user: 'e', host: 'x.org' },
  { text: '"" <sip:e@x.org>', displayName: '', user: 'e', host: 'x.org' },
  // addr-spec: parameters belong to the header, not the URI (RFC 3261 20.10).
  { text: 'sip:+19725552222@gw1.example.net;unknownparam', user: '+19725552222', host: 'gw1.example.net', uriParams: {}, params: { unknownparam: null } },
  { text: 'sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n', user: 'vivekg', host: 'chair-dnrc.example.com', params: { tag: '1918181833n' } },
  { text: '<sip:+19725552222@gw1.example.net;unknownparam>', user: '+19725552222', host: 'gw1.example.net', uriParams: { unknownparam: null }, params: {} },
  { text: '<sip:ss1.example.com;lr>;x="a;b,c"', host: 'ss1.example.com', uriParams: { lr: null }, params: { x: '"a;b,c"' } },
  { text: '<sips:[2001:db8::1]:5061>;expires=60;q=0.5', host: '[2001:db8::1]', params: { expires: '60', q: '0.5' } },
  { text: 'tel:+1-201-555-0123;tag=abc', user: '+1-201-555-0123', host: '', params: { tag: 'abc' } },
  { text: '<tel:+1-201-555-0123;ext=1>', user: '+1-201-555-0123', host: '', uriParams: { ext: '1' } },
  { text: 'isbn:2983792873', host: '' },
  { text: '<http://www.example.com>;tag=3234233', host: '', params: { tag: '3234233' } },
  { text: '<sip:a@b>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"', user: 'a', host: 'b', params: { '+sip.instance': '"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"' } },
];

test('parseNameAddr: valid values', () => {
  for (const row of valid) {
    const n = parseNameAddr(row.text);
    assert.equal(n.displayName, row.displayName, `${row.text}: displayName`);
    assert.equal(n.uri.user, row.user, `${row.text}: user`);
    assert.equal(n.uri.host, row.host, `${row.text}: host`);
    if (row.uriParams) assert.deepEqual(n.uri.params, row.uriParams, `${row.text}: uri params`);
    assert.deepEqual(n.params, row.params ?? {}, `${row.text}: params`);
  }
});

const invalid: [string, string][] = [
  ['', 'Empty address'],
  ['"Mr. J. User <sip:j.user@example.com>', 'Unterminated quoted display name'],
  ['Bell, Alexander <sip:a.g.bell@example.com>;tag=43', 'Bad display name'],
  ['"Watson, Thomas" < sip:t.watson@example.org >', 'Bad URI'],
  ['<sip:alice@atlanta.com', 'Missing >'],
  ['"Alice" sip:alice@atlanta.com', 'Missing < after display name'],
  ['sip:user@example.com?Route=%3Csip:sip.example.com%3E', 'URI must be in <>'],
  ['<sip:a@b>;;tag=1', 'Bad parameter name'],
  ['<sip:a@b>;tag=', 'Missing parameter value'],
  ['<sip:a@b> junk', 'Bad header parameters'],
  ['<sip:a@b>;x="open', 'Unterminated quoted string'],
];

test('parseNameAddr: invalid values carry a reason', () => {
  for (const [text, reason] of invalid) {
    assert.throws(() => parseNameAddr(text), (e: unknown) => e instanceof SipParseError && e.reason === reason, text);
  }
});

test('formatNameAddr: quotes display names and round trips', () => {
  const n = parseNameAddr('"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam = newvalue ; secondparam ; q = 0.33');
  assert.equal(n.displayName, 'Quoted string ""');
  const text = formatNameAddr(n);
  assert.equal(text, '"Quoted string \\"\\"" <sip:jdrosen@example.com>;newparam=newvalue;secondparam;q=0.33');
  assert.deepEqual(parseNameAddr(text), n);
  assert.equal(formatNameAddr({ uri: n.uri, params: {} }), '<sip:jdrosen@example.com>');
  assert.equal(formatNameAddr({ displayName: 'a\\b', uri: n.uri, params: { tag: 'x y' } }), '"a\\\\b" <sip:jdrosen@example.com>;tag="x y"');
});

test('parseNameAddrList / parseContactList: lists, star, empty elements', () => {
  const list = parseNameAddrList('<sip:a@x;lr>, "B, C" <sip:b@y>;p=1 ,<sip:c@z>');
  assert.deepEqual(list.map((n) => n.uri.user), ['a', 'b', 'c']);
  assert.equal(list[1]?.displayName, 'B, C');
  assert.deepEqual(parseContactList('*'), ['*']);
  assert.deepEqual(parseContactList(' * '), ['*']);
  assert.equal(formatContact('*'), '*');
  assert.throws(() => parseNameAddrList('<sip:a@x>,,<sip:b@y>'), SipParseError);
  assert.throws(() => parseNameAddrList('<sip:a@x>,'), SipParseError);
});
