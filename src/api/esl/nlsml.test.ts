/** The DETECTED_SPEECH result body (specs/esl.md §4.4). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nlsmlInput, nlsmlResult } from './nlsml.ts';

describe('nlsmlResult', () => {
  it('writes one interpretation per alternative, escaped', () => {
    assert.equal(nlsmlResult('yesno', [{ transcript: 'yes & no', confidence: 0.873 }]), [
      '<?xml version="1.0"?>',
      '<result grammar="yesno">',
      '  <interpretation grammar="yesno" confidence="0.87">',
      '    <instance>yes &amp; no</instance>',
      '    <input mode="speech" confidence="0.87">yes &amp; no</input>',
      '  </interpretation>',
      '</result>',
      '',
    ].join('\n'));
  });

  it('clamps confidence and reads the input back', () => {
    const xml = nlsmlResult('g"1', [{ transcript: '<hi>', confidence: 7 }, { transcript: 'b', confidence: Number.NaN }]);
    assert.match(xml, /grammar="g&quot;1" confidence="1\.00"/);
    assert.match(xml, /confidence="0\.00">b</);
    assert.equal(nlsmlInput(xml), '<hi>');
    assert.equal(nlsmlInput('<result/>'), undefined);
  });
});
