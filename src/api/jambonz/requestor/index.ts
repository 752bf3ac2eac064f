/**
 * Hook requestors of the jambonz-compatible API (specs/jambonz.md §1 WebSocket API, §2 webhooks).
 *
 * Contract:
 * - `createRequestor: RequestorFactory` (and `makeRequestorFactory(options)` for timeouts, clock, logger):
 *   `createRequestor(callHook, {account, callSid, baseUrl?})` returns one Requestor per call. The call
 *   hook's scheme picks the transport (http(s) -> webhooks, ws(s) -> WebSocket `ws.jambonz.org`); a later
 *   hook with an absolute URL of the other transport switches to it (the old one is closed). The
 *   factory throws a RequestorError JAMBONZ_HOOK_URL for an unusable call hook (relative without
 *   `baseUrl`, unknown scheme, method other than GET/POST). Relative hooks resolve against `baseUrl`
 *   (default: the call hook) and inherit the call hook's Basic-auth credentials.
 * - `request(type, hook, payload)`: payload keys are snake-cased (except customerData, sip, env_vars,
 *   args). Resolves with the parsed JSON reply (HTTP) or the ack's `data` (WS), `undefined` when the
 *   reply has no body / no data; rejects with a `RequestorError` (codes JAMBONZ_HOOK_*, see
 *   docs/errors.md): URL, CONNECT, TIMEOUT (HTTP 10 s, WS ack 5 s), STATUS (`status`), BODY, CLOSED,
 *   JAMBONZ_WS_FRAME_TOO_LARGE. The payload is not validated: run `validateVerbs` on the result.
 * - `notify(type, hook, payload)`: fire and forget; over HTTP it needs a hook (`jambonz:error` is not
 *   sent over HTTP); over WS the hook is optional and the message goes on the call's socket.
 * - events: `command` (WS `command` messages, envelope parsed, data not validated); `closed` when the
 *   socket is gone for good (app closed with 1000, reconnects exhausted, `session:reconnect` not acked,
 *   or the initial connect failed — then the pending `session:new` also rejects). Not emitted by close().
 *   After it, requests reject with JAMBONZ_HOOK_CLOSED and notifications are dropped.
 * - `close(code = 1000)`: idempotent; rejects what is pending with JAMBONZ_HOOK_CLOSED.
 * - WS reconnect: `session:reconnect` is sent by the requestor itself with the `session:new` data.
 * Pure helpers: `snakeCase`, `snakeCaseKeys`, `computeSignature`, `signatureHeader`, `verifySignature`,
 * `resolveHook`, `parseRetryFragment`, `parseAppMessage`.
 */
import type { Clock, Logger } from '../../../lib/index.ts';
import { silentLogger } from '../../../lib/index.ts';
import type { Hook, RequestorContext, RequestorFactory } from '../contract.ts';
import { HookRequestor } from './hook-requestor.ts';
import { HttpExchanger } from './http-exchange.ts';
import { HttpRequestor } from './http-requestor.ts';
import { WsRequestor } from './ws-requestor.ts';

export type { RequestorErrorCode } from './requestor-error.ts';
export { RequestorError } from './requestor-error.ts';
export { SNAKE_CASE_VERBATIM_KEYS, snakeCase, snakeCaseKeys } from './snake-case.ts';
export type { ParsedSignature } from './signature.ts';
export { SIGNATURE_HEADER, computeSignature, parseSignatureHeader, signatureHeader, verifySignature } from './signature.ts';
export type { HookDefaults, HookScheme, HookTarget, RetryPolicy, RetryReason } from './hook-target.ts';
export { basicAuth, hookUrl, parseRetryFragment, resolveHook, retryDelayMs } from './hook-target.ts';
export type { AppMessage, Envelope } from './ws-envelope.ts';
export { COMMANDS_WITHOUT_DATA, TYPES_WITHOUT_ACK, TYPES_WITH_HOOK, buildEnvelope, parseAppMessage } from './ws-envelope.ts';
export type { HttpRequestorOptions } from './http-requestor.ts';
export { DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, HttpRequestor } from './http-requestor.ts';
export type { WsRequestorOptions } from './ws-requestor.ts';
export {
  DEFAULT_ACK_TIMEOUT_MS,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_FRAME_BYTES,
  WS_SUBPROTOCOL,
  WsRequestor,
} from './ws-requestor.ts';
export { HookRequestor } from './hook-requestor.ts';

export interface RequestorFactoryOptions {
  clock?: Clock;
  log?: Logger;
  /** Webhook timeout per attempt (default 10 s). */
  httpTimeoutMs?: number;
  /** Largest webhook reply body (default 1 MiB). */
  maxBodyBytes?: number;
  /** WS ack timeout, for all types or per type (default 5 s). */
  ackTimeoutMs?: number | Partial<Record<string, number>>;
  /** Largest WS frame from the app (default 1 MiB). */
  maxFrameBytes?: number;
  handshakeTimeoutMs?: number;
  userAgent?: string;
  /** Delay before retry / reconnect number `attempt` (default 500 ms doubling to 2 s, then +2 s). */
  retryDelay?: (attempt: number) => number;
  /** Wall clock for signature timestamps (default Date.now). */
  now?: () => number;
}

/** A RequestorFactory with these options. */
export function makeRequestorFactory(options: RequestorFactoryOptions = {}): RequestorFactory {
  const exchanger = new HttpExchanger();
  return (hook: Hook, context: RequestorContext) => {
    const log = (options.log ?? silentLogger()).child({ callSid: context.callSid });
    const shared = {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      ...(options.retryDelay ? { retryDelay: options.retryDelay } : {}),
      log,
    };
    const base = context.baseUrl ? { baseUrl: context.baseUrl } : {};
    return new HookRequestor(
      hook,
      base,
      (target) => {
        if (target.scheme === 'ws' || target.scheme === 'wss') {
          return new WsRequestor({
            ...shared,
            target,
            callSid: context.callSid,
            ...(options.ackTimeoutMs !== undefined ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
            ...(options.maxFrameBytes !== undefined ? { maxFrameBytes: options.maxFrameBytes } : {}),
            ...(options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: options.handshakeTimeoutMs } : {}),
          });
        }
        return new HttpRequestor({
          ...shared,
          webhookSecret: context.account.webhook_secret,
          exchanger,
          defaults: {
            baseUrl: context.baseUrl ?? target.url,
            ...(target.username !== undefined ? { username: target.username } : {}),
            ...(target.password !== undefined ? { password: target.password } : {}),
          },
          ...(options.httpTimeoutMs !== undefined ? { timeoutMs: options.httpTimeoutMs } : {}),
          ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
          ...(options.now ? { now: options.now } : {}),
        });
      },
      log,
    );
  };
}

/** The default factory: real clock, no logging, spec timeouts. */
export const createRequestor: RequestorFactory = makeRequestorFactory();
