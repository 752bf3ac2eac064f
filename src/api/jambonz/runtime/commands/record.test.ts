import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';

const WS = application({ call_hook: 'ws://app.test/ws' });

test('record command: start, pause, resume, stop drive stereo recordings of both parties; bad data and SIPREC answer jambonz:error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-rec-'));
  try {
    const s = scenario(() => [{ verb: 'answer' }], { recordingsDir: dir });
    const { media, channel } = s.call(WS);
    await s.h.flush();
    const app = s.app();
    app.command('record', { action: 'startCallRecording', recordingID: 'x1' });
    await s.h.flush();
    assert.equal(media.records.length, 1);
    assert.deepEqual(media.records[0]!.options, { direction: 'both', stereo: true });
    app.command('record', { action: 'pauseCallRecording' });
    await s.h.flush();
    assert.equal(media.records[0]!.settled, true, 'a pause ends the segment');
    await s.h.tick(500);
    app.command('record', { action: 'resumeCallRecording' });
    await s.h.flush();
    assert.equal(media.records.length, 2, 'a resume starts the next segment');
    app.command('record', { action: 'startCallRecording', siprecServerURL: 'sip:srs@example.test' });
    app.command('record', { action: 'rewind' });
    app.command('record', { action: 'stopCallRecording' });
    await s.h.flush();
    await new Promise((r) => setTimeout(r, 50));
    const errors = app.sent('jambonz:error').map((e) => `${String(e['msg'])}: ${String(e['details'])}`);
    assert.equal(errors.length, 2);
    assert.match(errors[0]!, /^unsupported command: .*SIPREC/);
    assert.match(errors[1]!, /^invalid command: record: action/);
    const account = readdirSync(dir);
    assert.equal(account.length, 1);
    const metas = readdirSync(join(dir, account[0]!)).filter((n) => n.endsWith('.json'));
    assert.equal(metas.length, 1);
    // The description is rewritten as the recording ends: read it once it is complete (bounded wait).
    const read = (): Record<string, unknown> | undefined => {
      try {
        const m = JSON.parse(readFileSync(join(dir, account[0]!, metas[0]!), 'utf8')) as Record<string, unknown>;
        return m['status'] === 'failed' ? m : undefined;
      } catch {
        return undefined;
      }
    };
    let meta = read();
    for (let i = 0; i < 100 && !meta; i++) {
      await new Promise((r) => setTimeout(r, 20));
      meta = read();
    }
    assert.ok(meta, 'the recording description is written');
    assert.equal(meta['recording_id'], 'x1');
    assert.equal(meta['call_sid'], channel.uuid);
    assert.equal(meta['status'], 'failed', 'the fake media wrote no audio');
    assert.equal(media.records.every((r) => r.settled), true);
    await s.done();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
