/**
 * `user auth`: checks the SIP digest in msg.authRequest (a registration hook body,
 * ../../shared/specs/jambonz.md §2.6 and §5) against a password or HA1 and sets msg.authResponse
 * to {status:'ok', expires, ...} or {status:'fail', msg}.
 */
import type { DoneFn, Msg, NodeAPI, NodeConfig, RedNode, SendFn } from '../lib/red-types';
import { parseDigestRequest, verifyDigest, type DigestSecret } from '../lib/digest';
import { evaluateProperty } from '../lib/property';
import { grantExpires, type AuthGrant } from '../lib/auth-grant';

export = function register(RED: NodeAPI): void {
  function UserAuth(this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    const prop = (key: string, kind: 'string' | 'number' | 'boolean', msg: Msg): Promise<unknown> =>
      evaluateProperty(RED, this, msg, key, kind, config[key], config[`${key}Type`]);

    const work = async (msg: Msg): Promise<void> => {
      const parsed = parseDigestRequest(msg.authRequest);
      if (typeof parsed === 'string') {
        msg.authResponse = { status: 'fail', msg: `malformed authentication request (no ${parsed})` };
        this.status({ fill: 'red', shape: 'ring', text: `no ${parsed} in msg.authRequest` });
        return;
      }
      const ha1 = await prop('ha1', 'string', msg);
      const password = await prop('password', 'string', msg);
      let secret: DigestSecret | undefined;
      if (typeof ha1 === 'string' && ha1 !== '') secret = { ha1 };
      else if (password !== undefined && String(password) !== '') secret = { password: String(password) };
      if (!secret) {
        msg.authResponse = { status: 'fail', msg: 'invalid domain or username' };
        this.status({ fill: 'yellow', shape: 'ring', text: `unknown user ${parsed.username}` });
        return;
      }
      const result = verifyDigest(parsed, secret);
      if (!result.ok) {
        const text = result.reason === 'mismatch' ? 'incorrect password' : result.reason.replace(/-/g, ' ');
        msg.authResponse = { status: 'fail', msg: text };
        this.status({ fill: 'yellow', shape: 'ring', text: `${parsed.username}: ${text}` });
        return;
      }
      const expires = (await prop('expires', 'number', msg)) as number | undefined;
      const grant: AuthGrant = {
        expires: grantExpires((msg.authRequest as Record<string, unknown>).expires, expires),
        application_sid: (await prop('application', 'string', msg)) as string | undefined,
        allow_direct_user_calling: (await prop('directUser', 'boolean', msg)) as boolean | undefined,
        allow_direct_app_calling: (await prop('directApp', 'boolean', msg)) as boolean | undefined,
        allow_direct_queue_calling: (await prop('directQueue', 'boolean', msg)) as boolean | undefined,
      };
      const response: Record<string, unknown> = { status: 'ok' };
      for (const [k, v] of Object.entries(grant)) if (v !== undefined && v !== null && v !== '') response[k] = v;
      msg.authResponse = response;
      this.status({ fill: 'green', shape: 'dot', text: `${parsed.username} ok` });
    };

    this.on('input', (msg: Msg, send: SendFn, done: DoneFn) => {
      work(msg).then(
        () => {
          send(msg);
          done();
        },
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          this.status({ fill: 'red', shape: 'ring', text: e.message });
          done(e);
        },
      );
    });
  }
  RED.nodes.registerType('user auth', UserAuth);
};
