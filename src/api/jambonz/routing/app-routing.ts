/**
 * Inbound routing to jambonz applications (specs/jambonz.md §2.6 "Inbound routing: phone number ->
 * application, regex call routes, SIP realm for registered devices"): rules on the core router for each
 * provisioned phone number (matched with and without a leading '+'), each configured pattern and SIP
 * user, and an optional default application. They sit above the demo dialplan (priority 100 against its
 * 0), so an application's number wins and the demo numbers keep working when no application claims the
 * call. Number rules follow the provisioning store as numbers come and go over REST.
 */
import type { Logger } from '../../../lib/index.ts';
import type { RouteHandler, Router } from '../../../core/index.ts';
import type { JambonzConfig } from '../../../config/index.ts';
import type { JambonzApplication, SessionManager } from '../contract.ts';
import { JambonzPlatformError, type ProvisioningStore } from '../provisioning/index.ts';

/** The priority of every application rule; the demo dialplan registers at 0. */
export const APP_ROUTE_PRIORITY = 100;

export interface AppRoutingOptions {
  router: Router;
  store: ProvisioningStore;
  /** The runtime that takes routed calls (looked up per call). */
  sessions: () => SessionManager | undefined;
  routes?: Pick<JambonzConfig, 'patterns' | 'users' | 'defaultApplication'>;
  /** Takes the calls nothing else claims when no default application is configured (the built-in demo). */
  builtinDefault?: JambonzApplication;
  log: Logger;
}

/** `/regex/flags` is a regular expression; anything else a dial pattern (`_1XXX`, `9.`). */
export function patternOf(text: string): string | RegExp {
  const m = /^\/(.+)\/([a-z]*)$/.exec(text);
  if (!m?.[1]) return text;
  try {
    return new RegExp(m[1], m[2]);
  } catch (err) {
    throw new JambonzPlatformError('JAMBONZ_PROVISIONING_INVALID', `jambonz.patterns "${text}": ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Registers the rules; returns the function that removes them all. */
export function mountAppRouting(options: AppRoutingOptions): () => void {
  const { router, store, log } = options;
  const handlerFor = (applicationSid: string): RouteHandler => async (channel, ctx) => {
    const app = store.application(applicationSid);
    const sessions = options.sessions();
    if (!app || !sessions) {
      ctx.log.warn({ application_sid: applicationSid, runtime: sessions !== undefined }, 'jambonz application unavailable');
      await channel.hangup('NORMAL_TEMPORARY_FAILURE', { sipStatus: 480, headers: { 'X-Reason': 'application unavailable' } });
      return;
    }
    ctx.log.info({ application_sid: app.application_sid, application: app.name }, 'call routed to jambonz application');
    sessions.startInbound(channel, app, store.account(app.account_sid) ?? store.defaultAccount());
  };
  const resolve = (ref: string, where: string): string => {
    const app = store.resolveApplication(ref);
    if (!app) throw new JambonzPlatformError('JAMBONZ_PROVISIONING_INVALID', `${where}: no application "${ref}"`);
    return app.application_sid;
  };

  const fixed: (() => void)[] = [];
  const routes = options.routes;
  for (const p of routes?.patterns ?? []) {
    const sid = resolve(p.application, `jambonz.patterns "${p.pattern}"`);
    fixed.push(router.register({ name: `jambonz-pattern-${p.pattern}`, priority: APP_ROUTE_PRIORITY, pattern: patternOf(p.pattern) }, handlerFor(sid)));
  }
  for (const u of routes?.users ?? []) {
    const sid = resolve(u.application, `jambonz.users "${u.user}"`);
    fixed.push(router.register({ name: `jambonz-user-${u.user}`, priority: APP_ROUTE_PRIORITY, user: u.user }, handlerFor(sid)));
  }
  if (routes?.defaultApplication !== undefined) {
    const sid = resolve(routes.defaultApplication, 'jambonz.defaultApplication');
    fixed.push(router.register({ name: 'jambonz-default', priority: APP_ROUTE_PRIORITY, default: true }, handlerFor(sid)));
  } else if (options.builtinDefault) {
    const app = options.builtinDefault;
    fixed.push(router.register({ name: 'jambonz-builtin-default', priority: APP_ROUTE_PRIORITY, default: true }, (channel, ctx) => {
      const sessions = options.sessions();
      if (!sessions) {
        void channel.hangup('NORMAL_TEMPORARY_FAILURE', { sipStatus: 480, headers: { 'X-Reason': 'application unavailable' } });
        return;
      }
      ctx.log.info({ application: app.name }, 'call routed to the built-in default application');
      sessions.startInbound(channel, app, store.account(app.account_sid) ?? store.defaultAccount());
    }));
  }

  let numbers: (() => void)[] = [];
  const syncNumbers = (): void => {
    for (const off of numbers) off();
    numbers = [];
    for (const n of store.phoneNumbers()) {
      if (n.application_sid === undefined) continue;
      for (const number of [n.number, `+${n.number}`]) {
        numbers.push(router.register({ name: `jambonz-number-${n.number}`, priority: APP_ROUTE_PRIORITY, number }, handlerFor(n.application_sid)));
      }
    }
    log.debug({ numbers: numbers.length / 2 }, 'jambonz number routes updated');
  };
  syncNumbers();
  const offChanged = store.events.on('changed', syncNumbers);

  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    offChanged();
    for (const off of [...fixed, ...numbers]) off();
    numbers = [];
  };
}
