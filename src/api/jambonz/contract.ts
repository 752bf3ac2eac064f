/**
 * The seam inside the jambonz-compatible surface: what the platform side (HTTP server, provisioning,
 * REST, routing) and the runtime side (call sessions, verbs, hook requestors) exchange. Field names
 * follow the jambonz api-server resources (specs/jambonz.md §2.6): snake_case, `*_sid` identifiers.
 */
import type { Channel } from '../../core/index.ts';

/** A webhook: a bare URL (absolute, or relative to the application's base) or an object with auth. */
export type Hook = string | HookObject;

export interface HookObject {
  url: string;
  method?: string;
  username?: string;
  password?: string;
}

export interface JambonzAccount {
  account_sid: string;
  name: string;
  /** Signs outgoing webhooks (`Jambonz-Signature`). */
  webhook_secret: string;
  /** Account-level hook for SIP REGISTER authentication, when set. */
  registration_hook?: Hook;
}

/** An application as provisioned; speech defaults fall back to the server's offline engines. */
export interface JambonzApplication {
  application_sid: string;
  account_sid: string;
  name: string;
  call_hook?: Hook;
  call_status_hook?: Hook;
  messaging_hook?: Hook;
  /** A static verb array (JSON text), used instead of call_hook when set. */
  app_json?: string;
  speech_synthesis_vendor?: string;
  speech_synthesis_language?: string;
  speech_synthesis_voice?: string;
  speech_recognizer_vendor?: string;
  speech_recognizer_language?: string;
  env_vars?: Record<string, unknown>;
  record_all_calls?: boolean;
}

/** Read access to provisioning, for the runtime. */
export interface AppCatalog {
  account(accountSid: string): JambonzAccount | undefined;
  application(applicationSid: string): JambonzApplication | undefined;
  /** The account used when nothing else says (created at first start). */
  defaultAccount(): JambonzAccount;
}

/** POST /v1/Accounts/{sid}/Calls body after shape validation (the runtime validates the rest). */
export interface CreateCallRequest {
  account: JambonzAccount;
  /** The raw request body as the client sent it (from, to, call_hook, application_sid, tag, timeout, ...). */
  body: Record<string, unknown>;
  /** Resolved when body.application_sid names an application. */
  application?: JambonzApplication;
}

/** What a REST handler answers; `body` is sent as JSON when defined. */
export interface RestOutcome {
  status: number;
  body?: unknown;
}

/** One live call as the REST API sees it. */
export interface LiveCall {
  readonly callSid: string;
  readonly accountSid: string;
  /** The call attributes in webhook shape (call_sid, direction, from, to, call_status, ...). */
  attributes(): Record<string, unknown>;
  /** PUT /v1/Accounts/{sid}/Calls/{callSid}: call_hook redirect, call_status, mute_status, whisper, ... */
  update(body: Record<string, unknown>): Promise<RestOutcome>;
}

/** The runtime: starts sessions for routed calls and serves REST call control. */
export interface SessionManager {
  /** An inbound call routed to an application; the session owns the channel from here on. */
  startInbound(channel: Channel, application: JambonzApplication, account: JambonzAccount): void;
  /** Places an outbound call (REST create call); answers 201 `{sid, callId}` or an error outcome. */
  createCall(request: CreateCallRequest): Promise<RestOutcome>;
  get(callSid: string): LiveCall | undefined;
  list(accountSid: string): LiveCall[];
  /** The account's call queues with waiting calls (`GET /Accounts/:sid/Queues`); absent: none. */
  queues?(accountSid: string): unknown[];
  close(): Promise<void>;
}

/** How a requestor talks to the application (specs/jambonz.md §1 WebSocket, §2 webhooks). */
export type RequestorTransport = 'http' | 'ws';

/**
 * Message types a session sends that expect the app's verbs back: over HTTP they are POST/GET
 * webhooks, over WebSocket `session:new` / `session:redirect` / `verb:hook` messages acked by the app.
 */
export type HookRequestType = 'session:new' | 'session:redirect' | 'session:reconnect' | 'verb:hook' | 'dial:confirm' | 'session:adulting';

/** Fire-and-forget notifications (HTTP: POST to the hook, response ignored; WS: messages without ack). */
export type HookNotifyType = 'call:status' | 'verb:status' | 'jambonz:error';

/** A command pushed by the application over the WebSocket (§1.6), before validation of its data. */
export interface AppCommand {
  command: string;
  queueCommand: boolean;
  callSid?: string;
  data: unknown;
  msgid?: string;
  /** The raw envelope, for error reporting. */
  raw: Record<string, unknown>;
}

export interface RequestorEvents {
  command: AppCommand;
  /** The WebSocket closed for good (after reconnect attempts), or the app closed it with 1000. */
  closed: { code: number; reason: string };
}

/** One application connection for one call (HTTP requestors are stateless; WS ones hold a socket). */
export interface Requestor {
  readonly transport: RequestorTransport;
  /**
   * Sends a hook request and resolves with the application's reply before validation: the parsed JSON
   * body (HTTP) or the ack's `data` (WS); `undefined` when the reply carries no verbs. Rejects with a
   * typed error on timeout, transport failure, non-2xx status or unparsable body.
   */
  request(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown>;
  notify(type: HookNotifyType, hook: Hook | undefined, payload: Record<string, unknown>): void;
  on<K extends keyof RequestorEvents>(event: K, listener: (payload: RequestorEvents[K]) => void): () => void;
  close(code?: number): Promise<void>;
}

/** Builds the requestor for a hook URL (http(s) -> webhooks, ws(s) -> WebSocket API). */
export type RequestorFactory = (hook: Hook, context: RequestorContext) => Requestor;

export interface RequestorContext {
  account: JambonzAccount;
  callSid: string;
  /** The application's base URL, for relative hook URLs (the call_hook's origin). */
  baseUrl?: string;
}
