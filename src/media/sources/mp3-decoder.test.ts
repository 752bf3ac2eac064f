import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goertzelPower } from '../dtmf/index.ts';
import { sineFit } from '../../../test/support/signals.ts';
import { PcmPlayer, decodeMp3, isMp3, isMp3Available, loadAudio } from './index.ts';

const FIXTURE = join(import.meta.dirname, '../../../test/fixtures/media/tone1k-16k.mp3');
const available = await isMp3Available();

describe('MP3 decoding', { skip: available ? false : 'mpg123-decoder is not installed' }, () => {
  it('decodes the 16 kHz, 0.5 s, 1 kHz fixture', async () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    assert.equal(isMp3(bytes), true);
    const { samples, sampleRate } = await decodeMp3(bytes);
    assert.equal(sampleRate, 16000);
    assert.ok(Math.abs(samples.length - 8000) < 2400, `length ${samples.length}`);
    const middle = samples.subarray(2000, 6000);
    const fit = sineFit(middle, 1000, 16000);
    assert.ok(fit.snrDb > 20, `SNR ${fit.snrDb}`);
    assert.ok(Math.abs(20 * Math.log10(fit.amplitude / 16384)) < 1.5, `amplitude ${fit.amplitude}`);
  });

  it('plays through loadAudio + PcmPlayer at 8 kHz with the tone at 1 kHz', async () => {
    const store = await loadAudio(new Uint8Array(readFileSync(FIXTURE)), { name: 'x.mp3' });
    const p = new PcmPlayer(store, { sampleRate: 8000 });
    const f = new Int16Array(160);
    const all: number[] = [];
    for (let n = p.read(f); n > 0; n = p.read(f)) all.push(...f.subarray(0, n));
    const y = Int16Array.from(all).subarray(1000, 3000);
    const at1k = goertzelPower(y, 1000, 8000);
    for (const other of [500, 700, 1300, 2000]) assert.ok(at1k > 100 * goertzelPower(y, other, 8000), `${other} Hz too strong`);
  });

  it('garbage named .mp3 is MEDIA_SOURCE_CORRUPT', async () => {
    await assert.rejects(loadAudio(new Uint8Array(4000).fill(0x41), { name: 'x.mp3' }), { code: 'MEDIA_SOURCE_CORRUPT' });
  });
});

describe('MP3 detection', () => {
  const cases: [string, number[], boolean][] = [
    ['ID3 tag', [0x49, 0x44, 0x33, 4, 0], true],
    ['MPEG-1 Layer III frame sync', [0xff, 0xfb, 0x90], true],
    ['MPEG-2 Layer III frame sync', [0xff, 0xf3, 0x90], true],
    ['reserved layer', [0xff, 0xf9, 0x90], false],
    ['RIFF', [0x52, 0x49, 0x46, 0x46], false],
    ['empty', [], false],
  ];
  for (const [name, bytes, want] of cases) {
    it(name, () => assert.equal(isMp3(new Uint8Array(bytes)), want));
  }
});
