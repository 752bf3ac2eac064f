/**
 * Evaluates a node property given as a Node-RED typed input (str, num, bool, json, msg, flow,
 * global, env, jsonata) and coerces the result to the kind of value the verb property wants.
 * Strings (and the strings inside json values) may hold mustache templates rendered against msg,
 * with `flow.*`, `global.*` and `env.*` available too.
 */
import type { Msg, NodeAPI, RedNode } from './red-types';
import { hasTemplate, renderDeep, renderTemplate } from './template';

export type PropKind = 'string' | 'number' | 'boolean' | 'json' | 'list' | 'hook' | 'objects';

export class PropertyError extends Error {
  readonly code = 'SB_NR_PROPERTY';
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(`${property}: ${message}`);
    this.name = 'PropertyError';
  }
}

/** The values templates are rendered against: msg's properties plus flow, global and env. */
export function templateView(node: RedNode, msg: Msg): Record<string, unknown> {
  const view: Record<string, unknown> = { ...msg };
  const ctx = safeContext(node);
  const collect = (store: { keys(): string[]; get(k: string): unknown } | undefined): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (!store) return out;
    for (const key of store.keys()) out[key] = store.get(key);
    return out;
  };
  if (!('flow' in msg)) view.flow = collect(ctx?.flow);
  if (!('global' in msg)) view.global = collect(ctx?.global);
  if (!('env' in msg)) view.env = process.env;
  return view;
}

function safeContext(node: RedNode): ReturnType<RedNode['context']> | undefined {
  try {
    return node.context();
  } catch {
    return undefined;
  }
}

function viaRuntime(RED: NodeAPI, node: RedNode, msg: Msg, value: string, type: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    try {
      if (type === 'jsonata') {
        const expr = RED.util.prepareJSONataExpression(value, node);
        RED.util.evaluateJSONataExpression(expr, msg, (err, result) => (err ? reject(err) : resolve(result)));
      } else {
        RED.util.evaluateNodeProperty(value, type, node, msg, (err, result) => (err ? reject(err) : resolve(result)));
      }
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

function parseJson(property: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PropertyError(property, `invalid JSON (${(err as Error).message})`);
  }
}

/** Coerces an evaluated value to the property's kind; undefined means "leave the property out". */
export function coerce(property: string, kind: PropKind, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (kind) {
    case 'number': {
      if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
      if (typeof value === 'string') {
        if (value.trim() === '') return undefined;
        const n = Number(value.trim());
        if (!Number.isFinite(n)) throw new PropertyError(property, `"${value}" is not a number`);
        return n;
      }
      throw new PropertyError(property, 'must be a number');
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const v = value.trim().toLowerCase();
        if (v === '') return undefined;
        if (v === 'true') return true;
        if (v === 'false') return false;
        throw new PropertyError(property, `"${value}" is not true or false`);
      }
      if (typeof value === 'number') return value !== 0;
      throw new PropertyError(property, 'must be true or false');
    }
    case 'list': {
      if (Array.isArray(value)) return value;
      if (typeof value === 'string') {
        const t = value.trim();
        if (t.startsWith('[')) return parseJson(property, t);
        return t
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0);
      }
      return [value];
    }
    case 'objects': {
      const v = typeof value === 'string' && /^\s*[[{]/.test(value) ? parseJson(property, value) : value;
      return Array.isArray(v) ? v : [v];
    }
    case 'json': {
      if (typeof value === 'string' && /^\s*[[{]/.test(value)) return parseJson(property, value);
      return value;
    }
    case 'hook':
    case 'string':
      return value;
  }
}

/**
 * Evaluates one typed property. `type` is the typed input's type; `unset` or an empty value
 * leaves the property out.
 */
export async function evaluateProperty(
  RED: NodeAPI,
  node: RedNode,
  msg: Msg,
  property: string,
  kind: PropKind,
  value: unknown,
  type: unknown,
): Promise<unknown> {
  const t = typeof type === 'string' && type !== '' ? type : 'str';
  if (t === 'unset') return undefined;
  const text = value === undefined || value === null ? '' : String(value);
  if (text === '') return undefined;
  let result: unknown;
  switch (t) {
    case 'str':
      result = hasTemplate(text) ? renderTemplate(text, templateView(node, msg)) : text;
      break;
    case 'num':
      result = hasTemplate(text) ? renderTemplate(text, templateView(node, msg)) : text;
      break;
    case 'bool':
      result = text.trim() === 'true';
      break;
    case 'json': {
      const parsed = parseJson(property, text);
      result = hasTemplate(text) ? renderDeep(parsed, templateView(node, msg)) : parsed;
      break;
    }
    case 'msg':
    case 'flow':
    case 'global':
    case 'env':
    case 'jsonata':
      try {
        result = await viaRuntime(RED, node, msg, text, t);
      } catch (err) {
        // A path through a missing object (msg.a.b with no msg.a) just has no value.
        if (t === 'msg' || t === 'flow' || t === 'global') return undefined;
        throw new PropertyError(property, `cannot evaluate ${t} "${text}" (${(err as Error).message})`);
      }
      break;
    default:
      throw new PropertyError(property, `unknown input type "${t}"`);
  }
  return coerce(property, kind, result);
}
