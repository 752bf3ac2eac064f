import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { numberWords, ordinalWords, parseSay, sayText, type SayRequest } from './say-text.ts';

const say = (arg: string, now = 0, tz = 'UTC'): string | undefined => sayText(parseSay(arg)!, now, tz);

describe('parseSay', () => {
  it('four words; a fifth word makes the fourth the gender (the rest is the text)', () => {
    assert.deepEqual(parseSay('en number pronounced 123'), { module: 'en', type: 'number', method: 'pronounced', text: '123' } satisfies SayRequest);
    assert.deepEqual(parseSay('en:us name_spelled iterated masculine john smith'),
      { module: 'en', language: 'us', type: 'name_spelled', method: 'iterated', gender: 'masculine', text: 'john smith' });
    assert.equal(parseSay('en number pronounced'), undefined);
  });
});

describe('sayText (en)', () => {
  it('numbers', () => {
    assert.equal(numberWords(0), 'zero');
    assert.equal(numberWords(1234567), 'one million two hundred thirty four thousand five hundred sixty seven');
    assert.equal(ordinalWords(23), 'twenty third');
    assert.equal(ordinalWords(40), 'fortieth');
    assert.equal(ordinalWords(112), 'one hundred twelfth');
    assert.equal(say('en number pronounced 1,015'), 'one thousand fifteen');
    assert.equal(say('en number iterated 1015'), 'one zero one five');
    assert.equal(say('en items counted 3'), 'third');
    assert.equal(say('en number pronounced abc'), undefined);
  });
  it('currency, time_measurement', () => {
    assert.equal(say('en currency pronounced $12.05'), 'twelve dollars and five cents');
    assert.equal(say('en currency pronounced 1'), 'one dollar');
    assert.equal(say('en time_measurement pronounced 3723'), 'one hour two minutes three seconds');
    assert.equal(say('en time_measurement pronounced 0'), 'zero seconds');
  });
  it('dates and times from epoch seconds, or now; in the given zone', () => {
    // 2026-11-22 23:05 UTC is a Sunday.
    const t = Date.UTC(2026, 10, 22, 23, 5) / 1000;
    assert.equal(say(`en current_date_time pronounced ${t}`), 'Sunday November twenty second two thousand twenty six eleven oh five P M');
    assert.equal(say('en current_time pronounced now', t * 1000), 'eleven oh five P M');
    assert.equal(say(`en current_date pronounced ${t}`, 0, 'Asia/Tokyo'), 'Monday November twenty third two thousand twenty six');
    assert.equal(say('en current_time pronounced 0'), 'twelve A M');
  });
  it('spelled types; unknown type', () => {
    assert.equal(say('en ip_address iterated 10.0.1.2'), 'one zero dot zero dot one dot two');
    assert.equal(say('en name_spelled iterated bob'), 'B O B');
    assert.equal(say('en telephone_number iterated +1-555'), 'plus one dash five five five');
    assert.equal(say('en weather pronounced 12'), undefined);
    assert.equal(say('en name_spelled iterated masculine al bo'), 'A L B O', 'the fifth word on is the text');
  });
  it('other modules: the text (or its characters) for the engine to read', () => {
    assert.equal(say('fr number pronounced 123'), '123');
    assert.equal(say('de number iterated 123'), '1 2 3');
  });
});
