import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import userAuthNode from '../src/nodes/user-auth';
import { helper, nextMessage, useHelper } from './support/helper';

useHelper();

/** RFC 2617 §3.5 request, as a registration hook would carry it. */
const AUTH_REQUEST = {
  method: 'GET',
  realm: 'testrealm@host.com',
  username: 'Mufasa',
  expires: 3600,
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  uri: '/dir/index.html',
  qop: 'auth',
  nc: '00000001',
  cnonce: '0a4f113b',
  response: '6629fae49393a05397450978507c4ef1',
};

async function authenticate(config: Record<string, unknown>, authRequest: unknown): Promise<unknown> {
  await helper.load(userAuthNode, [
    { id: 'n1', type: 'user auth', wires: [['out']], ...config },
    { id: 'out', type: 'helper' },
  ]);
  const received = nextMessage('out');
  helper.getNode('n1').receive({ authRequest });
  return (await received).authResponse;
}

describe('user auth node', () => {
  it('accepts a correct password and grants the smaller expiry and the configured permissions', async () => {
    const res = await authenticate(
      {
        password: 'Circle Of Life', passwordType: 'str',
        expires: '600', expiresType: 'num',
        application: 'app-1', applicationType: 'str',
        directUser: 'true', directUserType: 'bool',
        directApp: '', directAppType: 'unset',
      },
      AUTH_REQUEST,
    );
    assert.deepEqual(res, { status: 'ok', expires: 600, application_sid: 'app-1', allow_direct_user_calling: true });
  });

  it('keeps the requested expiry when no maximum is configured', async () => {
    const res = await authenticate({ password: 'Circle Of Life', passwordType: 'str' }, AUTH_REQUEST);
    assert.deepEqual(res, { status: 'ok', expires: 3600 });
  });

  it('rejects a wrong password', async () => {
    const res = await authenticate({ password: 'wrong', passwordType: 'str' }, AUTH_REQUEST);
    assert.deepEqual(res, { status: 'fail', msg: 'incorrect password' });
  });

  it('fails a user without a password', async () => {
    const res = await authenticate({ password: 'users.nobody', passwordType: 'msg' }, AUTH_REQUEST);
    assert.deepEqual(res, { status: 'fail', msg: 'invalid domain or username' });
  });

  it('looks the password up in flow context by user name (JSONata) and accepts an HA1', async () => {
    await helper.load(userAuthNode, [
      { id: 'f1', type: 'tab' },
      { id: 'n1', z: 'f1', type: 'user auth', wires: [['out']], ha1: '$lookup($flowContext("ha1s"), authRequest.username)', ha1Type: 'jsonata' },
      { id: 'out', type: 'helper' },
    ]);
    helper.getNode('n1').context().flow.set('ha1s', { Mufasa: '939e7578ed9e3c518a452acee763bce9' });
    const received = nextMessage('out');
    helper.getNode('n1').receive({ authRequest: AUTH_REQUEST });
    assert.deepEqual((await received).authResponse, { status: 'ok', expires: 3600 });
  });

  it('answers a malformed request with a failure instead of throwing', async () => {
    const res = await authenticate({ password: 'x', passwordType: 'str' }, { method: 'REGISTER' });
    assert.deepEqual(res, { status: 'fail', msg: 'malformed authentication request (no username)' });
  });
});
