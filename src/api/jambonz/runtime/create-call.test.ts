import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEndpoint, answerAfter, refuseAfter, ringForever } from '../../../core/testing/index.ts';
import { ACCOUNT, scenario } from '../../../../test/support/jambonz-runtime-scenario.ts';
import { targetOf } from './create-call.ts';

test('targets: phone (trunk or carrier), sip, user; others refused', () => {
  assert.deepEqual(targetOf({ type: 'phone', number: '15551234', trunk: 'carrier.test' }, undefined), { target: 'sip:15551234@carrier.test', destination: '15551234' });
  assert.deepEqual(targetOf({ type: 'phone', number: '1555' }, (n) => ({ target: `sip:${n}@gw` })), { target: 'sip:1555@gw', destination: '1555' });
  // A carrier's credentials and caller id rule travel with the target.
  assert.deepEqual(
    targetOf({ type: 'phone', number: '1555' }, (n) => ({ target: `sip:${n}@gw`, auth: { username: 'u', password: 'p' }, fromUser: 'trunkuser' })),
    { target: 'sip:1555@gw', destination: '1555', auth: { username: 'u', password: 'p' }, fromUser: 'trunkuser' },
  );
  assert.ok('error' in targetOf({ type: 'phone', number: '1555' }, undefined));
  assert.deepEqual(targetOf({ type: 'sip', sipUri: 'sip:bob@example.com' }, undefined), { target: 'sip:bob@example.com', destination: 'bob' });
  assert.deepEqual(targetOf({ type: 'user', name: '1001@local' }, undefined), { target: 'user/1001@local', destination: '1001' });
  assert.ok('error' in targetOf({ type: 'teams', number: '1' }, undefined));
  assert.ok('error' in targetOf({ type: 'sip', sipUri: 'http://x' }, undefined));
});

function outbound(behaviour: ReturnType<typeof answerAfter>) {
  const s = scenario((type) => (type === 'session:new' ? [{ verb: 'say', text: 'hi there' }, { verb: 'hangup' }] : undefined));
  const ep = new FakeEndpoint(s.h.clock, { schemes: ['sip:'], behaviour });
  s.h.sw.addEndpoint(ep);
  return { s, ep };
}

test('create call: 201 {sid, callId}; statuses trying -> ringing -> in-progress; session:new on answer', async () => {
  const { s, ep } = outbound(answerAfter(2000));
  const r = await s.manager.createCall({
    account: ACCOUNT,
    body: { from: '15550001', to: { type: 'sip', sipUri: 'sip:bob@far.test' }, call_hook: 'http://app.test/out', call_status_hook: 'http://app.test/st', tag: { crm: 42 } },
  });
  assert.equal(r.status, 201);
  const { sid, callId } = r.body as { sid: string; callId: string };
  assert.equal(typeof sid, 'string');
  assert.equal(typeof callId, 'string');
  await s.h.flush();
  assert.equal(s.app().requests.length, 0, 'no session:new before answer');
  await s.h.tick(2000);
  const first = s.app().requests[0]!;
  assert.equal(first.type, 'session:new');
  assert.equal(first.payload['direction'], 'outbound');
  assert.equal(first.payload['call_sid'], sid);
  assert.equal(first.payload['sip'], undefined);
  assert.deepEqual(first.payload['customerData'], { crm: 42 });
  assert.equal(first.payload['caller_name'], undefined, 'toJSON shape, not the inbound one');
  assert.ok(first.payload['defaults']);
  const leg = ep.legs[0]!;
  assert.equal(s.finishPlay(leg.media), 'tts:hi there');
  await s.h.flush();
  assert.equal(leg.channel.ended, true);
  const statuses = s.app().sent('call:status').map((p) => p['call_status']);
  assert.deepEqual(statuses, ['trying', 'ringing', 'in-progress', 'completed']);
  await s.done();
});

test('create call: ring timeout cancels and reports no-answer; busy reports busy', async () => {
  const a = outbound(ringForever());
  const r = await a.s.manager.createCall({ account: ACCOUNT, body: { from: '1', to: { type: 'sip', sipUri: 'sip:x@y' }, call_hook: 'http://app.test/out', call_status_hook: '/st', timeout: 5 } });
  assert.equal(r.status, 201);
  await a.s.h.tick(5000);
  assert.equal(a.ep.legs[0]!.channel.ended, true);
  assert.equal(a.s.app().sent('call:status').at(-1)!['call_status'], 'no-answer');
  await a.s.done();

  const b = outbound(refuseAfter(100, 'USER_BUSY', 486));
  await b.s.manager.createCall({ account: ACCOUNT, body: { from: '1', to: { type: 'sip', sipUri: 'sip:x@y' }, call_hook: 'http://app.test/out', call_status_hook: '/st' } });
  await b.s.h.tick(100);
  const last = b.s.app().sent('call:status').at(-1)!;
  assert.equal(last['call_status'], 'busy');
  assert.equal(last['sip_status'], 486);
  await b.s.done();
});

test('create call: timeLimit hangs up; app_json runs without a hook; bad bodies are 400; no endpoint is 480', async () => {
  const { s, ep } = outbound(answerAfter(0));
  const r = await s.manager.createCall({
    account: ACCOUNT, body: { from: '1', to: { type: 'sip', sipUri: 'sip:x@y' }, app_json: [{ verb: 'pause', length: 100 }], timeLimit: 10 },
  });
  assert.equal(r.status, 201);
  await s.h.tick(9_999);
  assert.equal(ep.legs[0]!.channel.ended, false);
  await s.h.tick(1);
  assert.equal(ep.legs[0]!.channel.ended, true);
  assert.equal((await s.manager.createCall({ account: ACCOUNT, body: { to: { type: 'sip', sipUri: 'sip:x@y' }, call_hook: '/x' } })).status, 400);
  assert.equal((await s.manager.createCall({ account: ACCOUNT, body: { from: '1', call_hook: '/x' } })).status, 400);
  assert.equal((await s.manager.createCall({ account: ACCOUNT, body: { from: '1', to: { type: 'sip', sipUri: 'sip:x@y' } } })).status, 400);
  const none = await s.manager.createCall({ account: ACCOUNT, body: { from: '1', to: { type: 'user', name: 'u' }, call_hook: 'http://a/b' } });
  assert.equal(none.status, 480);
  await s.done();
});
