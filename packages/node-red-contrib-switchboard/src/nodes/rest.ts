/**
 * REST nodes over a `switchboard-server` config node (../../shared/specs/jambonz.md §2.6):
 * create call, live call control, get call, list calls. Success goes to output 1 with
 * msg.payload and msg.statusCode; any failure (server error, network, bad input) sets the node
 * status red with the server's message, sets msg.error and goes to output 2.
 */
import type { DoneFn, Msg, NodeAPI, NodeConfig, RedNode, SendFn } from '../lib/red-types';
import { evaluateProperty } from '../lib/property';
import { isEmpty, setPath } from '../lib/drop-empty';
import { RestError, checkTarget, restRequest, type RestResult, type RestTarget } from '../lib/rest-client';
import { isLccAction, lccBody, type LccParams } from '../lib/lcc-body';
import { CREATE_CALL_PROPS, LCC_PROPS, LIST_CALLS_PROPS, type RestPropSpec } from '../lib/rest-table';
import { configKey } from '../lib/verb-table';

interface ServerNode extends RedNode {
  url?: string;
  accountSid?: string;
}

const TO_FIELD: Record<string, string> = { phone: 'number', sip: 'sipUri', user: 'name', teams: 'number' };

function timeoutOf(RED: NodeAPI): number | undefined {
  const v = Number(RED.settings.switchboardRestTimeout);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

export = function register(RED: NodeAPI): void {
  function SwitchboardServer(this: ServerNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    this.url = typeof config.url === 'string' ? config.url.trim() : '';
    this.accountSid = typeof config.accountSid === 'string' ? config.accountSid.trim() : '';
  }
  RED.nodes.registerType('switchboard-server', SwitchboardServer, { credentials: { apiKey: { type: 'password' } } });

  function targetOf(config: NodeConfig): RestTarget {
    const server = typeof config.server === 'string' ? (RED.nodes.getNode(config.server) as ServerNode | null) : null;
    if (!server) throw new RestError('SB_NR_REST_CONFIG', 'no server configured');
    return checkTarget({ url: server.url, accountSid: server.accountSid, apiKey: server.credentials?.apiKey });
  }

  async function evalProps(node: RedNode, config: NodeConfig, msg: Msg, props: RestPropSpec[]): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const prop of props) {
      const key = configKey(prop.path);
      const value = await evaluateProperty(RED, node, msg, prop.path, prop.kind, config[key], config[`${key}Type`]);
      if (!isEmpty(value)) setPath(out, prop.path, value);
    }
    return out;
  }

  async function callSidOf(node: RedNode, config: NodeConfig, msg: Msg): Promise<string> {
    const sid = await evaluateProperty(RED, node, msg, 'callSid', 'string', config.callSid, config.callSidType);
    if (sid === undefined || sid === '' || typeof sid === 'object') throw new RestError('SB_NR_REST_CONFIG', 'no call sid');
    return String(sid);
  }

  /** Wires a REST node's input: run `work`, route the message to output 1 or 2. */
  function restInput(node: RedNode, okText: (r: RestResult) => string, work: (msg: Msg) => Promise<RestResult>) {
    return (msg: Msg, send: SendFn, done: DoneFn): void => {
      node.status({ fill: 'blue', shape: 'dot', text: 'requesting' });
      work(msg).then(
        (result) => {
          msg.payload = result.body;
          msg.statusCode = result.statusCode;
          delete msg.error;
          node.status({ fill: 'green', shape: 'dot', text: okText(result) });
          send([msg, null]);
          done();
        },
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          const rest = err instanceof RestError ? err : undefined;
          msg.error = {
            message: e.message,
            code: rest?.code ?? (e as { code?: string }).code ?? 'SB_NR_REST_INPUT',
            statusCode: rest?.statusCode,
            body: rest?.body,
          };
          if (rest?.statusCode !== undefined) msg.statusCode = rest.statusCode;
          node.status({ fill: 'red', shape: 'ring', text: e.message.slice(0, 120) });
          node.warn(`${e.message}`);
          send([null, msg]);
          done();
        },
      );
    };
  }

  function CreateCall(this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    this.on(
      'input',
      restInput(
        this,
        (r) => `created ${String((r.body as { sid?: unknown } | undefined)?.sid ?? '')}`.trim(),
        async (msg) => {
          const target = targetOf(config);
          const values = await evalProps(this, config, msg, CREATE_CALL_PROPS);
          const toType = typeof config.toType === 'string' && TO_FIELD[config.toType] ? config.toType : 'phone';
          const to = (values.to ?? {}) as Record<string, unknown>;
          const { value, ...rest } = to;
          values.to = { type: toType, [TO_FIELD[toType] as string]: value, ...rest };
          if (values.app_json !== undefined && typeof values.app_json !== 'string') values.app_json = JSON.stringify(values.app_json);
          const result = await restRequest(target, 'POST', 'Calls', values, { timeoutMs: timeoutOf(RED) });
          const sid = (result.body as { sid?: unknown } | undefined)?.sid;
          if (typeof sid === 'string') msg.callSid = sid;
          return result;
        },
      ),
    );
  }
  RED.nodes.registerType('create-call', CreateCall);

  function LiveCallControl(this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    this.on(
      'input',
      restInput(
        this,
        (r) => `${String(config.action)} ${r.statusCode}`,
        async (msg) => {
          const target = targetOf(config);
          const action = config.action;
          if (!isLccAction(action)) throw new RestError('SB_NR_REST_CONFIG', `unknown action "${String(action)}"`);
          const callSid = await callSidOf(this, config, msg);
          const props = LCC_PROPS.filter((p) => !p.actions || p.actions.includes(action));
          const params = (await evalProps(this, config, msg, props)) as LccParams;
          // Properties left undefined by lccBody are dropped by JSON serialisation.
          const body = lccBody(action, params);
          return restRequest(target, 'PUT', `Calls/${encodeURIComponent(callSid)}`, body, { timeoutMs: timeoutOf(RED) });
        },
      ),
    );
  }
  RED.nodes.registerType('lcc', LiveCallControl);

  function GetCall(this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    this.on(
      'input',
      restInput(
        this,
        (r) => String((r.body as { call_status?: unknown } | undefined)?.call_status ?? r.statusCode),
        async (msg) => {
          const target = targetOf(config);
          const callSid = await callSidOf(this, config, msg);
          return restRequest(target, 'GET', `Calls/${encodeURIComponent(callSid)}`, undefined, { timeoutMs: timeoutOf(RED) });
        },
      ),
    );
  }
  RED.nodes.registerType('get_call', GetCall);

  function ListCalls(this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    this.on(
      'input',
      restInput(
        this,
        (r) => `${Array.isArray(r.body) ? r.body.length : 0} calls`,
        async (msg) => {
          const target = targetOf(config);
          const query = await evalProps(this, config, msg, LIST_CALLS_PROPS);
          return restRequest(target, 'GET', 'Calls', undefined, { query, timeoutMs: timeoutOf(RED) });
        },
      ),
    );
  }
  RED.nodes.registerType('get_calls', ListCalls);
};
