/**
 * Routes from configuration to the `socket` application (specs/esl.md §3.1, §3.6): each rule (a called
 * number, a dial pattern, or a SIP user) sends the inbound call to `host:port [async] [full]`, the way a
 * FreeSWITCH extension with one `socket` action does. When the socket ends the call hangs up
 * (NORMAL_CLEARING, "last dialplan instruction") unless it is parked, bridged or transferred.
 */
import type { RouteRule, Switch } from '../../../core/index.ts';
import type { AppRunner } from '../apps.ts';
import { EslError } from '../esl-error.ts';
import { parseSocketTarget } from './socket-target.ts';

export interface OutboundRoute {
  name?: string;
  priority?: number;
  number?: string;
  /** A dial pattern (`_1XXX`, `9.`) tested against the called number. */
  pattern?: string;
  user?: string;
  /** `host:port [async] [full]` (several hosts with `|`). */
  target: string;
}

/** Registers the routes on the switch's router; returns the function that removes them. */
export function registerOutboundRoutes(sw: Switch, apps: AppRunner, routes: readonly OutboundRoute[]): () => void {
  for (const r of routes) {
    if (!parseSocketTarget(r.target)) throw new EslError('ESL_OUTBOUND_INVALID', `bad socket target "${r.target}"`);
  }
  const offs = routes.map((r) => {
    const rule: RouteRule = { name: r.name ?? `esl-socket-${r.number ?? r.pattern ?? r.user ?? ''}` };
    if (r.priority !== undefined) rule.priority = r.priority;
    if (r.number !== undefined) rule.number = r.number;
    if (r.pattern !== undefined) rule.pattern = r.pattern;
    if (r.user !== undefined) rule.user = r.user;
    return sw.router.register(rule, async (channel) => {
      await apps.execute(channel, 'socket', r.target);
      const { parks } = apps;
      if (!channel.ended && !parks.isParked(channel) && !parks.wasTaken(channel)) await channel.hangup('NORMAL_CLEARING');
    });
  });
  return () => {
    for (const off of offs) off();
  };
}
