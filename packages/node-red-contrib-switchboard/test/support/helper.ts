/** node-red-node-test-helper set up for node:test, plus small flow helpers. */
import helper from 'node-red-node-test-helper';
import { after, afterEach, before } from 'node:test';

export { helper };

let initialised = false;

/** Starts the helper's runtime once per test file and unloads flows after each test. */
export function useHelper(): void {
  if (!initialised) {
    helper.init(require.resolve('node-red'));
    initialised = true;
  }
  before(() => helper.startServer());
  afterEach(() => helper.unload());
  after(() => helper.stopServer());
}

export interface Received {
  msg: Record<string, unknown>;
}

/** Resolves with the next message a node receives, or rejects after `ms`. */
export function nextMessage(nodeId: string, ms = 2000): Promise<Record<string, unknown>> {
  const node = helper.getNode(nodeId);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message at ${nodeId} within ${ms} ms`)), ms);
    node.on('input', ((msg: Record<string, unknown>) => {
      clearTimeout(timer);
      resolve(msg);
    }) as (...args: never[]) => void);
  });
}

/** Resolves with the next status a node sets. */
export function nextStatus(nodeId: string, ms = 2000): Promise<{ fill?: string; text?: string }> {
  const node = helper.getNode(nodeId);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no status from ${nodeId} within ${ms} ms`)), ms);
    node.on('call:status', ((call: { args: Array<{ fill?: string; text?: string }> }) => {
      const s = call.args[0];
      if (!s || !s.fill || s.fill === 'blue') return;
      clearTimeout(timer);
      resolve(s);
    }) as (...args: never[]) => void);
  });
}

/** Resolves with the error a node reports through done(err) / node.error. */
export function nextError(nodeId: string, ms = 2000): Promise<string> {
  const node = helper.getNode(nodeId);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no error from ${nodeId} within ${ms} ms`)), ms);
    node.on('call:error', ((call: { args: unknown[] }) => {
      clearTimeout(timer);
      const e = call.args[0];
      resolve(e instanceof Error ? e.message : String(e));
    }) as (...args: never[]) => void);
  });
}
