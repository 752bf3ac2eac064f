/**
 * The slice of the Node-RED runtime API that the palette uses (Node-RED 4).
 * Declared here so the package needs no third-party typings.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Msg = Record<string, unknown> & { _msgid?: string };

export type SendFn = (msg: Msg | Array<Msg | null>) => void;
export type DoneFn = (err?: Error) => void;

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface ContextStore {
  get(key: string): unknown;
  keys(): string[];
}

export interface NodeContext {
  flow: ContextStore;
  global: ContextStore;
}

export interface RedNode {
  id: string;
  name?: string;
  credentials?: Record<string, string | undefined>;
  on(event: 'input', listener: (msg: Msg, send: SendFn, done: DoneFn) => void | Promise<void>): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  send(msg: Msg | Array<Msg | null>): void;
  status(status: NodeStatus): void;
  error(err: unknown, msg?: Msg): void;
  warn(text: unknown): void;
  log(text: unknown): void;
  context(): NodeContext;
}

export interface NodeConfig {
  id: string;
  type: string;
  name?: string;
  [key: string]: unknown;
}

/** Express-like request and response as Node-RED's httpNode hands them out. */
export type HttpRequest = IncomingMessage & { body?: unknown; query?: Record<string, unknown> };
export type HttpResponse = ServerResponse & {
  status?(code: number): HttpResponse;
};
export type HttpHandler = (req: HttpRequest, res: HttpResponse, next?: (err?: unknown) => void) => void;

export interface HttpRouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

export interface HttpApp {
  get(path: string, ...handlers: HttpHandler[]): void;
  post(path: string, ...handlers: HttpHandler[]): void;
  _router?: { stack: HttpRouterLayer[] };
  router?: { stack: HttpRouterLayer[] };
}

export interface RedUtil {
  evaluateNodeProperty(
    value: string,
    type: string,
    node: RedNode,
    msg: Msg,
    callback: (err: Error | null | undefined, result: unknown) => void,
  ): void;
  prepareJSONataExpression(value: string, node: RedNode): unknown;
  evaluateJSONataExpression(
    expr: unknown,
    msg: Msg,
    callback: (err: Error | null | undefined, result: unknown) => void,
  ): void;
  generateId(): string;
  getMessageProperty(msg: Msg, path: string): unknown;
}

export interface NodeDefinitionOptions {
  credentials?: Record<string, { type: 'text' | 'password' }>;
}

export interface NodeAPI {
  nodes: {
    createNode(node: object, config: NodeConfig): void;
    registerType(type: string, ctor: (this: RedNode, config: NodeConfig) => void, opts?: NodeDefinitionOptions): void;
    getNode(id: string): unknown;
  };
  util: RedUtil;
  httpNode: HttpApp;
  settings: Record<string, unknown>;
}
