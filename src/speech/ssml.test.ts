import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSsml, ssmlToText } from './index.ts';

describe('ssmlToText', () => {
  const table: [string, string][] = [
    ['Hello world', 'Hello world'],
    ['  two   spaces  ', 'two spaces'],
    ['<speak>Hello <emphasis level="strong">there</emphasis></speak>', 'Hello there'],
    ['<speak>Wait<break time="500ms"/>now</speak>', 'Wait, now'],
    ['<speak><p>One</p><p>Two</p></speak>', 'One. Two.'],
    ['<speak><sub alias="World Wide Web">WWW</sub> rocks</speak>', 'World Wide Web rocks'],
    ['<speak>Fish &amp; chips &lt;3 &#65;&#x42;</speak>', 'Fish & chips <3 AB'],
    ['<speak><!-- hidden -->Shown</speak>', 'Shown'],
    ['<speak><say-as interpret-as="digits">123</say-as></speak>', '123'],
    ['<speak></speak>', ''],
  ];
  for (const [input, output] of table) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(output)}`, () => assert.equal(ssmlToText(input), output));
  }

  it('detects SSML', () => {
    assert.equal(isSsml('<speak>x</speak>'), true);
    assert.equal(isSsml('say <break/> this'), true);
    assert.equal(isSsml('1 < 2 and 3 > 2'), false);
  });
});
