/**
 * The configured dialplan on live calls (compatibility source: FreeSWITCH mod_dialplan_xml, the
 * routing and execute phases; specs/esl.md §6 transfer, execute_extension): registers the inbound
 * context's destination_number expressions on core routing, hunts a channel's context with its caller
 * fields and variables (hunt.ts), applies the inline variables, then runs the collected applications in
 * order through the event socket's AppRunner. A call the hunt finds nothing for is hung up with
 * NO_ROUTE_DESTINATION; after the last application the call is hung up (NORMAL_CLEARING) unless it is
 * parked, bridged or was moved elsewhere (transfer).
 */
import { errorMessage, type Logger } from '../../../lib/index.ts';
import type { Channel, RouteRule, Switch } from '../../../core/index.ts';
import type { AppRunner } from '../apps.ts';
import { EslError } from '../esl-error.ts';
import { compileExpression, huntDialplan, type CallerField, type DialplanContexts, type HuntInput } from './hunt.ts';

export interface DialplanOptions {
  contexts: DialplanContexts;
  /** The context of inbound calls (default `default`). */
  context?: string;
  /** Router priority of the dialplan's number rules (default 100, the jambonz routes' priority). */
  priority?: number;
  /** Also take the calls no other rule claims (ahead of the jambonz default application). */
  catchAll?: boolean;
}

/** Priority of the jambonz application routes (api/jambonz APP_ROUTE_PRIORITY); equal priority lets their exact numbers win. */
const DEFAULT_PRIORITY = 100;

/** The caller fields of a channel, as a condition sees them. */
export function callerFields(ch: Channel, context: string): Partial<Record<CallerField, string>> {
  const net = ch.getVariable('network_addr') ?? ch.getVariable('sip_network_ip');
  return {
    destination_number: ch.destination, caller_id_number: ch.caller.number, caller_id_name: ch.caller.name,
    ani: ch.caller.number, context, dialplan: 'XML', uuid: ch.uuid, chan_name: ch.name,
    source: ch.endpoint === 'sip' ? 'mod_sofia' : `mod_${ch.endpoint}`,
    ...(net === undefined ? {} : { network_addr: net }),
    ...(ch.user === undefined ? {} : { username: ch.user }),
  };
}

export class ConfigDialplan {
  readonly #sw: Switch;
  readonly #apps: AppRunner;
  readonly #log: Logger;
  readonly #contexts: DialplanContexts;
  readonly #context: string;
  readonly #priority: number;
  readonly #catchAll: boolean;
  /** The current run of each channel: a transfer starts a new one and the old one stops. */
  readonly #runs = new Map<string, number>();
  #seq = 0;

  constructor(sw: Switch, apps: AppRunner, options: DialplanOptions, log: Logger) {
    this.#sw = sw;
    this.#apps = apps;
    this.#log = log.child({ part: 'dialplan' });
    this.#contexts = options.contexts;
    this.#context = options.context ?? 'default';
    this.#priority = options.priority ?? DEFAULT_PRIORITY;
    this.#catchAll = options.catchAll === true;
    for (const [name, exts] of Object.entries(this.#contexts)) {
      for (const ext of exts) {
        for (const c of ext.conditions) {
          if (c.expression === undefined) continue;
          try {
            compileExpression(c.expression);
          } catch (err) {
            throw new EslError('ESL_DIALPLAN_INVALID', `dialplan ${name}/${ext.name}: bad expression "${c.expression}"`, { cause: err });
          }
        }
      }
    }
  }

  knows(context: string): boolean {
    return Object.hasOwn(this.#contexts, context);
  }

  /**
   * Registers the inbound context on core routing: one pattern rule per distinct destination_number
   * expression that opens an extension, and a default rule when catchAll. Returns the remover.
   */
  register(): () => void {
    const handler = (channel: Channel): Promise<void> => this.run(channel, this.#context);
    const seen = new Set<string>();
    const offs: (() => void)[] = [];
    for (const ext of this.#contexts[this.#context] ?? []) {
      const first = ext.conditions[0];
      if (first?.field !== 'destination_number' || first.expression === undefined || seen.has(first.expression)) continue;
      seen.add(first.expression);
      const rule: RouteRule = { name: `esl-dialplan-${ext.name}`, priority: this.#priority, pattern: compileExpression(first.expression) };
      offs.push(this.#sw.router.register(rule, handler));
    }
    if (this.#catchAll) offs.push(this.#sw.router.register({ name: 'esl-dialplan-default', priority: this.#priority + 1, default: true }, handler));
    return () => {
      for (const off of offs) off();
    };
  }

  /**
   * `transfer <dest> [XML [<context>]]` and `execute_extension`: moves the channel to `dest` in the
   * named context (or the one it is in). Returns false when the dialplan does not own that context.
   */
  transfer(channel: Channel, dest: string, context: string | undefined): boolean {
    const target = context ?? channel.getVariable('context');
    if (target === undefined || !this.knows(target)) return false;
    channel.setDestination(dest);
    this.run(channel, target).catch((err: unknown) => this.#log.warn({ channelId: channel.uuid, err: errorMessage(err) }, 'dialplan run failed'));
    return true;
  }

  /** The applications `dest` finds in `context` for the channel (inline variables applied). */
  steps(channel: Channel, dest: string, context: string): { app: string; data: string }[] {
    const variables: Record<string, string> = { ...Object.fromEntries(this.#apps.globals), ...channel.snapshot().variables };
    const result = huntDialplan(this.#contexts[context], { fields: { ...callerFields(channel, context), destination_number: dest }, variables });
    for (const [name, value] of result.inlineVariables) channel.setVariable(name, value);
    return result.steps;
  }

  /** The context of inbound calls. */
  get inboundContext(): string {
    return this.#context;
  }

  /** Hunts `context` for the channel and runs what it found. Never rejects. */
  async run(channel: Channel, context: string): Promise<void> {
    const run = ++this.#seq;
    const first = !this.#runs.has(channel.uuid);
    this.#runs.set(channel.uuid, run);
    if (first) channel.events.once('destroyed', () => this.#runs.delete(channel.uuid));
    const log = this.#log.child({ channelId: channel.uuid, context });
    channel.setVariable('context', context);
    const snapshot = channel.snapshot();
    const variables: Record<string, string> = { ...Object.fromEntries(this.#apps.globals), ...snapshot.variables };
    const input: HuntInput = { fields: callerFields(channel, context), variables };
    const result = huntDialplan(this.#contexts[context], input);
    for (const [name, value] of result.inlineVariables) channel.setVariable(name, value);
    if (result.steps.length === 0) {
      log.info({ destination: channel.destination }, 'no dialplan extension matched');
      if (!channel.ended) await channel.hangup('NO_ROUTE_DESTINATION');
      return;
    }
    log.debug({ matched: result.matched, steps: result.steps.length }, 'dialplan hunt');
    const takenAtStart = this.#apps.parks.wasTaken(channel);
    const moved = (): boolean => this.#runs.get(channel.uuid) !== run || (!takenAtStart && this.#apps.parks.wasTaken(channel));
    for (const step of result.steps) {
      if (channel.ended || moved()) return;
      await this.#apps.execute(channel, step.app, step.data);
    }
    if (channel.ended || moved() || this.#apps.parks.isParked(channel) || channel.bridgedTo !== undefined) return;
    await channel.hangup('NORMAL_CLEARING');
  }
}
