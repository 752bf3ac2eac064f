import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SourceError, parseTgml, tgmlDurationMs } from './index.ts';
import type { TgmlTone } from './index.ts';

const tone = (onMs: number, offMs: number, frequencies: number[], extra: Partial<TgmlTone> = {}): TgmlTone => ({
  onMs,
  offMs,
  frequencies,
  volumeDb: -7,
  rampStepMs: 0,
  rampDb: 0,
  ...extra,
});

describe('TGML parsing', () => {
  const ok: [string, TgmlTone[], number][] = [
    ['%(2000,4000,440,480)', [tone(2000, 4000, [440, 480])], 1],
    ['%(100,0,1000)', [tone(100, 0, [1000])], 1],
    ['%(400,200,400,450);%(400,2200,400,450)', [tone(400, 200, [400, 450]), tone(400, 2200, [400, 450])], 1],
    ['L=3;%(100,100,350,440)', [tone(100, 100, [350, 440])], 3],
    ['%(100,15000,800);loops=-1', [tone(100, 15000, [800])], Infinity],
    ['L=2;%(10,0,800);loops=3', [tone(10, 0, [800])], 6],
    ['v=-20;%(100,0,1000)', [tone(100, 0, [1000], { volumeDb: -20 })], 1],
    ['v=5;%(100,0,1000)', [tone(100, 0, [1000], { volumeDb: 0 })], 1],
    ['v=-7;>=2;+=.1;%(1400,0,350,440)', [tone(1400, 0, [350, 440], { rampStepMs: 2, rampDb: -0.1 })], 1],
    ['<=10;+=1;%(100,0,500)', [tone(100, 0, [500], { rampStepMs: 10, rampDb: 1 })], 1],
    ['l=2;%(50,50,697)', [tone(50, 50, [697]), tone(50, 50, [697])], 1],
    ['%(500,500)', [tone(500, 500, [])], 1],
    ['%(500,0,0,440)', [tone(500, 0, [440])], 1],
    ['%( 100 , 50 , 1000.5 )', [tone(100, 50, [1000.5])], 1],
    ['1', [tone(250, 62.5, [697, 1209])], 1],
    ['d=100;w=50;1#', [tone(100, 50, [697, 1209]), tone(100, 50, [941, 1477])], 1],
    ['7(1000,500)', [tone(1000, 500, [852, 1209])], 1],
    ['a(80)', [tone(80, 62.5, [697, 1633])], 1],
    ['c=1;r=8000;%(10,0,100)', [tone(10, 0, [100])], 1],
    [' ; %(10,0,100) ; ', [tone(10, 0, [100])], 1],
  ];
  for (const [script, tones, plays] of ok) {
    it(`parses ${JSON.stringify(script)}`, () => {
      const s = parseTgml(script);
      assert.deepEqual(s.tones, tones);
      assert.equal(s.plays, plays);
    });
  }

  const bad = [
    '%(100',
    '%(100)',
    '%(a,0,440)',
    '%(100,-5,440)',
    '%(100,0,-440)',
    'x=1',
    'L=0',
    'L=-1',
    'loops=0',
    'l=1.5',
    'e',
    '7(',
    'v=loud',
  ];
  for (const script of bad) {
    it(`rejects ${JSON.stringify(script)} with MEDIA_SOURCE_SPEC`, () => {
      assert.throws(
        () => parseTgml(script),
        (err: unknown) => err instanceof SourceError && err.code === 'MEDIA_SOURCE_SPEC',
      );
    });
  }

  it('duration of one play', () => {
    assert.equal(tgmlDurationMs(parseTgml('%(400,200,400,450);%(400,2200,400,450)')), 3200);
  });
});
