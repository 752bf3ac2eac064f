/**
 * Builds one verb object from a node's configuration and the incoming message, and appends it
 * to msg.jambonz (the verb array a `webhook out` node returns, ../../shared/specs/jambonz.md §5).
 */
import type { Msg, NodeAPI, NodeConfig, RedNode } from './red-types';
import { evaluateProperty } from './property';
import { isEmpty, setPath } from './drop-empty';
import { configKey, type VerbSpec } from './verb-table';

export interface BuiltVerb {
  verb: Record<string, unknown>;
  /** Required properties that ended up empty. */
  missing: string[];
}

export async function buildVerb(RED: NodeAPI, node: RedNode, config: NodeConfig, spec: VerbSpec, msg: Msg): Promise<BuiltVerb> {
  const body: Record<string, unknown> = {};
  for (const prop of spec.props) {
    const key = configKey(prop.path);
    const value = await evaluateProperty(RED, node, msg, prop.path, prop.kind, config[key], config[`${key}Type`]);
    if (!isEmpty(value)) setPath(body, prop.path, value);
  }
  const verb = { verb: spec.verb, ...body };
  const missing = spec.props.filter((p) => p.required && lookup(verb, p.path) === undefined).map((p) => p.path);
  return { verb, missing };
}

function lookup(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Appends a verb to msg.jambonz, creating the array (or replacing a non-array value). */
export function appendVerb(msg: Msg, verb: Record<string, unknown>): void {
  if (!Array.isArray(msg.jambonz)) msg.jambonz = [];
  (msg.jambonz as unknown[]).push(verb);
}
