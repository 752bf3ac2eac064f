/**
 * A SessionManager for a server built without the call runtime: routed calls are refused (480 with a
 * log line), REST call control answers 480 as the api-server does when no feature server is available
 * (specs/jambonz.md §2.6), and no call is ever live. Provisioning and routing work as usual.
 */
import type { Logger } from '../../../lib/index.ts';
import type { SessionManager } from '../contract.ts';

export function unavailableSessions(log: Logger): SessionManager {
  return {
    startInbound(channel, application) {
      log.warn({ application_sid: application.application_sid, channelId: channel.uuid }, 'no jambonz runtime; refusing the call');
      void channel.hangup('NORMAL_TEMPORARY_FAILURE', { sipStatus: 480, headers: { 'X-Reason': 'no application runtime' } });
    },
    createCall() {
      return Promise.resolve({ status: 480, body: { msg: 'no available feature servers at this time' } });
    },
    get: () => undefined,
    list: () => [],
    close: () => Promise.resolve(),
  };
}
