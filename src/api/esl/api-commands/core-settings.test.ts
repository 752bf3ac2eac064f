import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEndpoint, answerAfter, createHarness } from '../../../core/testing/index.ts';
import { CoreSettings } from './core-settings.ts';

test('last_sps: the sessions created in the last whole second', async () => {
  const h = createHarness();
  h.sw.addEndpoint(new FakeEndpoint(h.clock, { behaviour: answerAfter(0) }));
  const settings = new CoreSettings(h.sw);
  try {
    await h.tick(1000 - (h.sw.now() % 1000));
    assert.equal(settings.lastSps(), 0);
    for (let i = 0; i < 3; i++) await h.sw.originate('fake:1');
    assert.equal(settings.lastSps(), 0, 'this second is not over');
    await h.tick(1000);
    assert.equal(settings.lastSps(), 3);
    await h.sw.originate('fake:1');
    await h.tick(1000);
    assert.equal(settings.lastSps(), 1);
    await h.tick(2000);
    assert.equal(settings.lastSps(), 0, 'an idle second counts nothing');
  } finally {
    settings.close();
    for (const ch of h.sw.channels()) void ch.hangup();
    await h.finish();
  }
});

test('DTMF durations clamp to 400..192000 and keep min <= default <= max', () => {
  const h = createHarness();
  const s = new CoreSettings(h.sw);
  assert.equal(s.maxDtmf(0), 192_000);
  assert.equal(s.maxDtmf(10), 400);
  assert.equal(s.minDtmf(0), 400);
  assert.equal(s.defaultDtmf(1_000_000), 192_000);
  assert.equal(s.maxDtmf(0), 192_000);
  assert.equal(s.minDtmf(500), 500);
  assert.equal(s.defaultDtmf(450), 450);
  assert.equal(s.minDtmf(0), 450);
  assert.equal(s.defaultDtmfMs, 56.25);
  assert.equal(s.defaultDtmfChanged, true);
  s.close();
});
