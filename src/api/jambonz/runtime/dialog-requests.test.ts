import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../lib/index.ts';
import { FakeDriver, FakeMedia, createHarness } from '../../../core/testing/index.ts';
import { handleDialogRequest, holdFields, watchDialogRequests, type DialogRequestTarget } from './dialog-requests.ts';

function target(hook?: string): DialogRequestTarget & { sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  return {
    log: silentLogger(), sent,
    settings: hook === undefined ? {} : { sipRequestWithinDialogHook: hook },
    notifyHook: (h, results) => { if (h) sent.push(results); },
  };
}

test('with the hook: INFO answered 200, MESSAGE 202, both reported; NOTIFY / OPTIONS keep the default and are not', () => {
  const t = target('/in-dialog');
  const statuses: string[] = [];
  for (const method of ['INFO', 'MESSAGE', 'NOTIFY', 'OPTIONS']) {
    handleDialogRequest(t, { method, body: `${method} body`, headers: { 'X-A': '1' }, respond: (s) => statuses.push(`${method} ${s}`) });
  }
  assert.deepEqual(statuses, ['INFO 200', 'MESSAGE 202']);
  assert.deepEqual(t.sent, [
    { sip_method: 'INFO', sip_body: 'INFO body', sip_headers: { 'X-A': '1' } },
    { sip_method: 'MESSAGE', sip_body: 'MESSAGE body', sip_headers: { 'X-A': '1' } },
  ]);
});

test('without the hook nothing is reported and the endpoint default stands', () => {
  const t = target();
  const statuses: number[] = [];
  handleDialogRequest(t, { method: 'MESSAGE', body: 'x', headers: {}, respond: (s) => statuses.push(s) });
  assert.deepEqual(statuses, []);
  assert.deepEqual(t.sent, []);
});

test('far-end hold and unhold reach the hook (local holds do not); unsubscribing stops it', async () => {
  const h = createHarness();
  const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), media: new FakeMedia('in') });
  ch.enterRouting();
  await ch.answer();
  const t = target('/in-dialog');
  const off = watchDialogRequests(t, ch);
  ch.remoteHold(true);
  await ch.hold(false);
  await ch.hold(true);
  ch.remoteHold(false);
  ch.remoteRequest({ method: 'INFO', body: 'b', headers: {} });
  off();
  ch.remoteHold(true);
  assert.deepEqual(t.sent, [
    holdFields(true), holdFields(false),
    { sip_method: 'INFO', sip_body: 'b', sip_headers: {} },
  ]);
  assert.deepEqual(holdFields(true), { sip_method: 'INVITE', event: 'hold', on_hold: true });
  await ch.hangup();
  await h.finish();
});
