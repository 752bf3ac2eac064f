import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberFiles, sayFiles } from './say-files.ts';
import { resolveSounds } from './say-app.ts';
import { parseSay } from './say-text.ts';

const say = (arg: string, nowMs = 0, tz?: string): string | undefined => {
  const r = parseSay(arg);
  assert.ok(r, arg);
  return sayFiles(r, nowMs, tz)?.join(' ');
};

test('numbers as mod_say_en plays them (table)', () => {
  const cases: [number, boolean, string][] = [
    [0, false, 'digits/0'],
    [7, false, 'digits/7'],
    [13, false, 'digits/13'],
    [20, false, 'digits/20'],
    [21, false, 'digits/20 digits/1'],
    [100, false, 'digits/1 digits/hundred'],
    [115, false, 'digits/1 digits/hundred digits/15'],
    [1_234_567, false, 'digits/1 digits/million digits/2 digits/hundred digits/30 digits/4 digits/thousand digits/5 digits/hundred digits/60 digits/7'],
    [21, true, 'digits/20 digits/h-1'],
    [30, true, 'digits/h-30'],
    [13, true, 'digits/13'],
    [2000, true, 'digits/2 digits/thousand'],
  ];
  for (const [n, counted, want] of cases) assert.equal(numberFiles(n, counted).join(' '), want, `${n} ${counted}`);
});

test('say types in recorded form (table); undefined where the module has none', () => {
  const cases: [string, string | undefined][] = [
    ['en number pronounced 1,015', 'digits/1 digits/thousand digits/15'],
    ['en items iterated 405', 'digits/4 digits/0 digits/5'],
    ['en messages counted 3', 'digits/h-3'],
    ['en number pronounced 1234567890', undefined],
    ['en number pronounced -5', undefined],
    ['en currency pronounced $1.05', 'digits/1 currency/dollar currency/and digits/5 currency/cents'],
    ['en currency pronounced -12.5', 'currency/negative digits/12 currency/dollars currency/and digits/5 currency/cents'],
    ['en currency pronounced 3', 'digits/3 currency/dollars'],
    ['en time_measurement pronounced 3661', 'digits/1 time/hour digits/1 time/minute digits/1 time/second'],
    ['en time_measurement pronounced 2:05', 'digits/0 time/hours digits/2 time/minutes digits/5 time/seconds'],
    ['en ip_address pronounced 10.0.0.21', 'digits/10 digits/dot digits/0 digits/dot digits/0 digits/dot digits/20 digits/1'],
    ['en telephone_number iterated +1(555)-12', 'ascii/43 digits/1 silence_stream://100 digits/5 digits/5 digits/5 silence_stream://100 digits/1 digits/2'],
    ['en name_spelled iterated Bo1', 'ascii/98 ascii/111 digits/1'],
    ['en name_phonetic iterated ab', 'phonetic-ascii/97 phonetic-ascii/98'],
    ['en email_address iterated a@b.c', undefined],
    ['de number pronounced 5', undefined],
  ];
  for (const [arg, want] of cases) assert.equal(say(arg), want, arg);
});

test('dates and times: date, 12-hour and military time, short_date_time relative to now', () => {
  const t = Date.UTC(2024, 2, 5, 14, 7) / 1000; // Tuesday 5 March 2024, 14:07 UTC
  const now = Date.UTC(2024, 2, 5, 18, 0);
  assert.equal(say(`en current_date pronounced ${t}`, now, 'UTC'), 'time/day-2 time/mon-2 digits/h-5 digits/2 digits/thousand digits/20 digits/4');
  assert.equal(say(`en current_time pronounced ${t}`, now, 'UTC'), 'digits/2 time/oh digits/7 time/p-m');
  assert.equal(say(`en current_time iterated ${t}`, now, 'UTC'), 'digits/14 digits/0 digits/7 time/hours');
  assert.equal(say(`en short_date_time pronounced ${t}`, now, 'UTC'), 'time/today time/at digits/2 time/oh digits/7 time/p-m');
  assert.equal(say(`en short_date_time pronounced ${t - 86_400}`, now, 'UTC'), 'time/yesterday time/at digits/2 time/oh digits/7 time/p-m');
  assert.equal(say(`en current_time pronounced ${Date.UTC(2024, 0, 1, 0, 0) / 1000}`, now, 'UTC'), 'digits/12 time/oclock time/a-m');
  assert.equal(say(`en current_date_time pronounced ${Date.UTC(1999, 11, 31, 9, 30) / 1000}`, now, 'UTC'),
    'time/day-5 time/mon-11 digits/30 digits/h-1 digits/19 digits/90 digits/9 time/at digits/9 digits/30 time/a-m');
  assert.equal(say(`en current_time pronounced ${t}`, now, 'America/New_York'), 'digits/9 time/oh digits/7 time/a-m');
});

test('resolveSounds: rate folder first, then other rates, then the plain file; the first missing name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sounds-'));
  try {
    for (const p of ['digits/16000/1.wav', 'digits/1.wav', 'digits/48000/2.wav', 'digits/3.wav']) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), 'x');
    }
    assert.deepEqual(await resolveSounds(dir, ['digits/1', 'digits/2', 'digits/3', 'silence_stream://100'], 16000), {
      spec: `file_string://${join(dir, 'digits/16000/1.wav')}!${join(dir, 'digits/48000/2.wav')}!${join(dir, 'digits/3.wav')}!silence_stream://100`,
    });
    assert.deepEqual(await resolveSounds(dir, ['digits/1'], 8000), { spec: `file_string://${join(dir, 'digits/16000/1.wav')}` });
    assert.deepEqual(await resolveSounds(dir, ['digits/3', 'digits/4'], 8000), { missing: 'digits/4' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
