/**
 * Runs a short application on the dialed (B) leg before it is bridged: the confirmHook's call screening
 * (specs/jambonz.md §1.3 `dial:confirm`: the reply runs on the callee leg; hanging up rejects the call).
 * Hooks go out on the A leg's application connection with the B leg's call info; replies replace the
 * remaining screening verbs and are limited to the verbs the original allows there (config, gather,
 * say, play, pause, tag, hangup). Resolves when the verbs are done, the B leg hung up, or `signal`
 * aborted.
 */
import type { Channel } from '../../../../core/index.ts';
import type { Logger } from '../../../../lib/index.ts';
import type { Hook } from '../../contract.ts';
import type { CallInfo } from '../call-info.ts';
import { snakeCaseKeys } from '../snake-case.ts';
import type { VerbData } from '../verb-data.ts';
import type { VerbContext, VerbServices } from '../verbs/verb.ts';
import type { ConnectServices } from './connect-services.ts';

export const SCREENING_VERBS: readonly string[] = ['config', 'gather', 'say', 'play', 'pause', 'tag', 'hangup'];

function filtered(verbs: readonly VerbData[], log: Logger): VerbData[] {
  const out = verbs.filter((v) => SCREENING_VERBS.includes(v.verb));
  if (out.length !== verbs.length) log.info({ dropped: verbs.length - out.length }, 'confirm: verbs not allowed on the callee leg dropped');
  return out;
}

/** Services of the B leg, over the A leg's application connection. */
function legServices(parent: VerbServices, connect: ConnectServices, leg: Channel, info: CallInfo, log: Logger, replace: (verbs: VerbData[]) => void): VerbServices {
  const payload = (results: Record<string, unknown>, verb: VerbData): Record<string, unknown> =>
    snakeCaseKeys({ ...info.toJSON(), ...results, ...(verb.id !== undefined ? { verb_id: verb.id } : {}) });
  return {
    channel: leg,
    clock: parent.clock,
    log,
    callInfo: info,
    transport: parent.transport,
    settings: { ...parent.settings, synthesizer: { ...parent.settings.synthesizer }, recognizer: { ...parent.settings.recognizer } },
    synthesizer: parent.synthesizer,
    recognizer: parent.recognizer,
    ensureMedia: () => Promise.resolve(!leg.ended),
    async performAction(hook: Hook | undefined, results: Record<string, unknown>, verb: VerbData) {
      if (!hook) return;
      let reply: unknown;
      try {
        reply = await connect.request('verb:hook', hook, payload(results, verb));
      } catch (err) {
        log.warn({ err }, 'confirm: actionHook failed');
        return;
      }
      if (!Array.isArray(reply) || reply.length === 0) return;
      const r = connect.validate(reply);
      if (r.ok) replace(filtered(r.verbs, log));
      else parent.notifyError({ msg: 'invalid actionHook response', details: r.error }, verb);
    },
    notifyHook(hook: Hook | undefined, results: Record<string, unknown>, verb: VerbData) {
      if (hook) connect.request('verb:hook', hook, payload(results, verb)).catch((err: unknown) => log.info({ err }, 'confirm: event hook failed'));
    },
    notifyStatus: (p, verb) => parent.notifyStatus(p, verb),
    notifyError: (p, verb) => parent.notifyError(p, verb),
    redirect: () => {
      log.info('confirm: redirect is not available on the callee leg');
      return Promise.resolve();
    },
    setCustomerData: (data) => { info.customerData = data; },
    setStatusHook: () => undefined,
    resetSpeech: () => undefined,
    setBargeIn: () => undefined,
    alert: (message, verb) => parent.alert(message, verb),
  };
}

export async function runOnLeg(
  parent: VerbServices, connect: ConnectServices, leg: Channel, info: CallInfo, verbs: readonly VerbData[], signal: AbortSignal,
): Promise<void> {
  const log = parent.log.child({ leg: leg.uuid, screening: true });
  let queue = filtered(verbs, log);
  let current: AbortController | undefined;
  const services = legServices(parent, connect, leg, info, log, (next) => {
    queue = next;
    current?.abort();
  });
  const offHangup = leg.on('hangup', () => current?.abort());
  const onAbort = (): void => current?.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (let guard = 0; guard < 1000; guard++) {
      const verb = queue.shift();
      if (!verb || leg.ended || signal.aborted) return;
      const handler = connect.verb(verb.verb);
      if (!handler) continue;
      current = new AbortController();
      const ctx: VerbContext = { services, verb, signal: current.signal, log: log.child({ verb: verb.verb }) };
      try {
        await handler.exec(ctx);
      } catch (err) {
        log.warn({ err }, 'confirm: verb failed');
      }
    }
  } finally {
    offHangup();
    signal.removeEventListener('abort', onAbort);
  }
}
