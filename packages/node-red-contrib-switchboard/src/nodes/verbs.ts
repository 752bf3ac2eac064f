/**
 * Registers one node per verb (../../shared/specs/jambonz.md §3, §5) plus the generic verb node.
 * Each node evaluates its properties against the message, drops the empty ones and appends the
 * verb to msg.jambonz.
 */
import type { DoneFn, Msg, NodeAPI, NodeConfig, RedNode, SendFn } from '../lib/red-types';
import { appendVerb, buildVerb } from '../lib/build-verb';
import { evaluateProperty } from '../lib/property';
import { dropEmpty } from '../lib/drop-empty';
import { VERBS, type VerbSpec } from '../lib/verb-table';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function handleInput(node: RedNode, work: (msg: Msg) => Promise<string[]>) {
  return (msg: Msg, send: SendFn, done: DoneFn): void => {
    work(msg).then(
      (missing) => {
        if (missing.length > 0) {
          const text = `missing ${missing.join(', ')}`;
          node.status({ fill: 'yellow', shape: 'ring', text });
          node.warn(text);
        } else {
          node.status({});
        }
        send(msg);
        done();
      },
      (err: unknown) => {
        node.status({ fill: 'red', shape: 'ring', text: errorText(err) });
        done(err instanceof Error ? err : new Error(errorText(err)));
      },
    );
  };
}

function verbNode(RED: NodeAPI, spec: VerbSpec) {
  return function (this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    this.on(
      'input',
      handleInput(this, async (msg) => {
        const { verb, missing } = await buildVerb(RED, this, config, spec, msg);
        appendVerb(msg, verb);
        return missing;
      }),
    );
  };
}

/** The generic node: a verb name plus a JSON body (any typed input), for verbs without a node. */
function genericNode(RED: NodeAPI) {
  return function (this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    this.on(
      'input',
      handleInput(this, async (msg) => {
        const data = await evaluateProperty(RED, this, msg, 'data', 'json', config.data, config.dataType);
        const verbName = await evaluateProperty(RED, this, msg, 'verb', 'string', config.verb, config.verbType);
        const fromData = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
        if (data !== undefined && !fromData) throw new Error('data: must be a JSON object');
        const verb = dropEmpty({ ...(fromData ?? {}), ...(verbName !== undefined ? { verb: String(verbName) } : {}) });
        const missing: string[] = [];
        if (typeof verb.verb !== 'string' && Object.keys(verb).length !== 1) missing.push('verb');
        appendVerb(msg, verb);
        return missing;
      }),
    );
  };
}

export = function register(RED: NodeAPI): void {
  for (const spec of VERBS) RED.nodes.registerType(spec.type, verbNode(RED, spec));
  RED.nodes.registerType('generic', genericNode(RED));
};
