import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiAllowed, authenticate, eventAllowed, parseUserauth, permissionsOf, type EslDirectory } from './user-directory.ts';

describe('userauth directory (specs/esl.md §2.2 userauth, §10)', () => {
  const directory: EslDirectory = {
    domains: { 'pbx.example': { 'esl-allowed-log': 'false', 'esl-allowed-api': 'status' } },
    users: [
      { user: 'ops', domain: 'pbx.example', params: { 'esl-password': 'sec:ret', 'esl-allowed-api': 'status,bgapi show sched_api' } },
      { user: 'mon', params: { 'esl-password': 'm', 'esl-allowed-events': 'CHANNEL_CREATE, channel_answer CUSTOM conference::maintenance' } },
      { user: 'nopw', params: {} },
    ],
  };

  it('parses user@domain:password (colons in the password)', () => {
    assert.deepEqual(parseUserauth('ops@pbx.example:sec:ret'), { user: 'ops', domain: 'pbx.example', password: 'sec:ret' });
    assert.equal(parseUserauth('ops:x'), undefined);
    assert.equal(parseUserauth('ops@:x'), undefined);
    assert.equal(parseUserauth('@d:x'), undefined);
  });

  it('authenticates; user params win over the domain', () => {
    const p = authenticate(directory, 'ops', 'pbx.example', 'sec:ret');
    assert.ok(p);
    assert.equal(p.log, false);
    assert.equal(p.apiText, 'status,bgapi show sched_api');
    assert.equal(p.eventsText, 'all');
    assert.equal(authenticate(directory, 'ops', 'pbx.example', 'wrong'), undefined);
    assert.equal(authenticate(directory, 'ops', 'other.example', 'sec:ret'), undefined);
    assert.equal(authenticate(directory, 'nobody', 'pbx.example', 'x'), undefined);
    assert.equal(authenticate(directory, 'nopw', 'any', ''), undefined);
    assert.ok(authenticate(directory, 'mon', 'any.domain', 'm'));
  });

  it('checks APIs through the wrappers', () => {
    const p = authenticate(directory, 'ops', 'pbx.example', 'sec:ret')!;
    assert.equal(apiAllowed(p, 'status', ''), true);
    assert.equal(apiAllowed(p, 'STATUS', ''), true);
    assert.equal(apiAllowed(p, 'originate', 'x &park()'), false);
    assert.equal(apiAllowed(p, 'bgapi', 'show channels'), true);
    assert.equal(apiAllowed(p, 'bgapi', 'originate x &park()'), false);
    assert.equal(apiAllowed(p, 'sched_api', '+5 none status'), true);
    assert.equal(apiAllowed(p, 'sched_api', '+5 none uuid_kill abc'), false);
    assert.equal(apiAllowed(p, 'bgapi', 'bgapi bgapi bgapi bgapi bgapi bgapi bgapi bgapi status'), false, 'bounded depth');
    assert.equal(apiAllowed(permissionsOf({}), 'anything', ''), true);
  });

  it('checks events and CUSTOM subclasses', () => {
    const p = authenticate(directory, 'mon', 'x', 'm')!;
    assert.equal(eventAllowed(p, 'CHANNEL_CREATE'), true);
    assert.equal(eventAllowed(p, 'CHANNEL_ANSWER'), true);
    assert.equal(eventAllowed(p, 'CHANNEL_HANGUP'), false);
    assert.equal(eventAllowed(p, 'CUSTOM', 'conference::maintenance'), true);
    assert.equal(eventAllowed(p, 'CUSTOM', 'sofia::register'), false);
    assert.equal(eventAllowed(permissionsOf({ 'esl-allowed-events': 'all' }), 'HEARTBEAT'), true);
    assert.equal(p.log, true, 'esl-allowed-log defaults to true');
  });
});
