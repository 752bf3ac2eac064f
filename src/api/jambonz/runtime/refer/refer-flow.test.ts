import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RemoteTransfer } from '../../../../core/index.ts';
import { VirtualClock, silentLogger } from '../../../../lib/index.ts';
import type { ValidationResult } from '../verb-data.ts';
import { refusalStatus, runReferFlow, type ReferFlowDeps } from './refer-flow.ts';

function fake(log: string[], notifyHangs = false, late = false): RemoteTransfer {
  return {
    referTo: '<sip:c@x>', referToUser: 'c', headers: {},
    take: () => true,
    accept: () => { log.push('202'); return !late; },
    reject: (status) => { log.push(`reject ${status}`); },
    notify: (status) => {
      log.push(`notify ${status}`);
      return notifyHangs ? new Promise<void>(() => {}) : Promise.resolve();
    },
  };
}

function deps(reply: () => Promise<unknown>, log: string[], clock = new VirtualClock()): ReferFlowDeps {
  return {
    log: silentLogger(), clock,
    request: (_hook, payload) => {
      log.push(`hook ${String((payload['refer_details'] as Record<string, unknown> | undefined)?.['x'] ?? '')}`);
      return reply();
    },
    validate: (p): ValidationResult => (Array.isArray(p) && p.every((v) => typeof v === 'object' && v !== null && 'verb' in v)
      ? { ok: true, verbs: p as never } : { ok: false, error: 'bad verbs' }),
    invalid: (details) => { log.push(`invalid ${details}`); },
  };
}

test('hook first, then 202, the verbs installed, then NOTIFY 200', async () => {
  const log: string[] = [];
  const out = await runReferFlow(deps(() => Promise.resolve([{ verb: 'say', text: 'hi' }]), log), fake(log), '/refer',
    { refer_details: { x: 1 } }, (verbs) => { log.push(`install ${verbs.map((v) => v.verb).join()}`); });
  assert.equal(out, 'installed');
  assert.deepEqual(log, ['hook 1', '202', 'install say', 'notify 200']);
});

test('notifyFirst: NOTIFY 200 before the verbs (bounded when the NOTIFY is never answered)', async () => {
  const log: string[] = [];
  const clock = new VirtualClock();
  const done = runReferFlow(deps(() => Promise.resolve([{ verb: 'hangup' }]), log, clock), fake(log, true), '/refer', {},
    () => { log.push('install'); }, true);
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  assert.deepEqual(log, ['hook ', '202', 'notify 200']);
  clock.advance(2_000);
  assert.equal(await done, 'installed');
  assert.deepEqual(log, ['hook ', '202', 'notify 200', 'install']);
});

test('no verbs or an invalid reply: accepted, then NOTIFY 603; a failing hook refuses the REFER', async () => {
  for (const reply of [[], undefined, [{ nope: 1 }]]) {
    const log: string[] = [];
    const out = await runReferFlow(deps(() => Promise.resolve(reply), log), fake(log), '/r', {}, () => { log.push('install'); });
    assert.equal(out, 'no-verbs');
    assert.equal(log.includes('install'), false);
    assert.deepEqual(log.filter((l) => l === '202' || l.startsWith('notify')), ['202', 'notify 603']);
  }
  const log: string[] = [];
  const err = Object.assign(new Error('http 404'), { statusCode: 404 });
  assert.equal(await runReferFlow(deps(() => Promise.reject(err), log), fake(log), '/r', {}, () => undefined), 'refused');
  assert.deepEqual(log, ['hook ', 'reject 404']);
  const lateLog: string[] = [];
  assert.equal(await runReferFlow(deps(() => Promise.resolve([{ verb: 'hangup' }]), lateLog), fake(lateLog, false, true), '/r', {},
    () => { lateLog.push('install'); }), 'refused', 'a REFER answered meanwhile (timed out) runs nothing');
  assert.deepEqual(lateLog, ['hook ', '202']);
  assert.equal(refusalStatus(new Error('timeout')), 501);
  assert.equal(refusalStatus({ statusCode: 200 }), 501);
  assert.equal(refusalStatus({ status: 503 }), 503);
});
