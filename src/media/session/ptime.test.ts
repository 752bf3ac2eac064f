import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureSink, Harness, PCMU, ToneSource, config, dominantFrequency } from '../../../test/support/media-session-harness.ts';

for (const ptime of [10, 30, 40]) {
  test(`ptime ${ptime} ms on 20 ms ticks: packets of ${ptime} ms, timestamps by ${ptime * 8}, the tone decodes`, async () => {
    const h = await Harness.create();
    try {
      const cfg = config(PCMU, { ptime });
      const a = h.session({ config: cfg, silence: 'none' });
      const b = h.session({ config: cfg, silence: 'none', probe: true });
      h.connect(a, b);
      const heard = new CaptureSink();
      b.addTap(heard, 'received');
      a.play(new ToneSource(1200, { durationMs: 1200 }));
      await h.run(75);
      const p = h.probe(b);
      assert.equal(p.length, 1200 / ptime);
      for (let i = 1; i < p.length; i++) {
        assert.equal((p[i]!.seq - p[i - 1]!.seq) & 0xffff, 1);
        assert.equal((p[i]!.ts - p[i - 1]!.ts) >>> 0, ptime * 8);
        assert.equal(p[i]!.payload.length, ptime * 8);
      }
      assert.equal(dominantFrequency(heard.samples(), 8000), 1200);
      // The jitter buffer may drop a frame or two to shrink its delay (10 ms packets arrive in pairs).
      assert.ok(b.stats().decodedFrames >= 1200 / ptime - 3);
    } finally {
      await h.close();
    }
  });
}
