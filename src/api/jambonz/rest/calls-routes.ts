/**
 * REST call control, `/v1/Accounts/:sid/Calls[/:callSid]` (specs/jambonz.md §2.6; api-server
 * `lib/routes/api/accounts.js`): POST creates a call through the runtime (201 `{sid, callId}`), GET lists
 * the account's live calls (filters `direction`, `from`, `to`, `callStatus`) or one call, PUT (and the
 * legacy POST) updates a live call (202, 200 for sip_request, 400, 404, 422 as the runtime answers),
 * DELETE hangs up (204, 404). A create request for another account is refused 400 as the api-server
 * does; calls of another account are not found.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LiveCall, SessionManager } from '../contract.ts';
import { callFilterOf, checkCreateCall, checkUpdateCall, matchesFilter } from './call-requests.ts';
import { refuse, sendOutcome, type RestDeps } from './rest-deps.ts';

type AccountParams = { Params: { sid: string } };
type CallParams = { Params: { sid: string; callSid: string } };

export function registerCallRoutes(app: FastifyInstance, deps: RestDeps): void {
  const runtime = (reply: FastifyReply): SessionManager | undefined => {
    const sessions = deps.sessions();
    if (!sessions) void refuse(reply, 480, 'no available feature servers at this time');
    return sessions;
  };
  const view = (call: LiveCall): Record<string, unknown> => {
    const attributes = call.attributes();
    return { ...attributes, service_url: attributes['service_url'] ?? deps.serviceUrl() };
  };
  const findCall = (sessions: SessionManager, sid: string, callSid: string): LiveCall | undefined => {
    const call = sessions.get(callSid);
    return call && call.accountSid === sid ? call : undefined;
  };

  app.post<AccountParams>('/Accounts/:sid/Calls', async (req, reply) => {
    const account = deps.store.account(req.params.sid);
    if (!account) return refuse(reply, 400, `unauthorized createCall request for account ${req.params.sid}`);
    const shape = checkCreateCall(req.body);
    if (!shape.ok) return refuse(reply, 400, shape.message);
    let application;
    if (shape.value.applicationSid !== undefined) {
      application = deps.store.application(shape.value.applicationSid);
      if (!application || application.account_sid !== account.account_sid) {
        return refuse(reply, 400, `application_sid not found ${shape.value.applicationSid}`);
      }
    }
    const sessions = runtime(reply);
    if (!sessions) return reply;
    const outcome = await sessions.createCall(application ? { account, body: shape.value.body, application } : { account, body: shape.value.body });
    if (outcome.status === 201) deps.log.info({ outcome: outcome.body }, 'call created over REST');
    return sendOutcome(reply, outcome);
  });

  app.get<AccountParams>('/Accounts/:sid/Calls', async (req, reply) => {
    const sessions = runtime(reply);
    if (!sessions) return reply;
    const filter = callFilterOf(req.query);
    return sessions.list(req.params.sid).map(view).filter((a) => matchesFilter(a, filter));
  });

  // Call queues of the account (enqueue / dequeue), specs/jambonz.md §2.6 `GET .../Queues`.
  app.get<AccountParams>('/Accounts/:sid/Queues', async (req, reply) => {
    const sessions = runtime(reply);
    if (!sessions) return reply;
    return sessions.queues?.(req.params.sid) ?? [];
  });

  app.get<CallParams>('/Accounts/:sid/Calls/:callSid', async (req, reply) => {
    const sessions = runtime(reply);
    if (!sessions) return reply;
    const call = findCall(sessions, req.params.sid, req.params.callSid);
    return call ? view(call) : refuse(reply, 404, 'call not found');
  });

  const update = async (req: FastifyRequest<CallParams>, reply: FastifyReply): Promise<FastifyReply> => {
    const checked = checkUpdateCall(req.body);
    if (!checked.ok) return refuse(reply, 400, checked.message);
    const sessions = runtime(reply);
    if (!sessions) return reply;
    const call = findCall(sessions, req.params.sid, req.params.callSid);
    if (!call) return refuse(reply, 404, 'call not found');
    return sendOutcome(reply, await call.update(checked.value));
  };
  app.put<CallParams>('/Accounts/:sid/Calls/:callSid', update);
  app.post<CallParams>('/Accounts/:sid/Calls/:callSid', update);

  app.delete<CallParams>('/Accounts/:sid/Calls/:callSid', async (req, reply) => {
    const sessions = runtime(reply);
    if (!sessions) return reply;
    const call = findCall(sessions, req.params.sid, req.params.callSid);
    if (!call) return refuse(reply, 404, 'call not found');
    const outcome = await call.update({ call_status: 'completed' });
    return outcome.status === 404 ? refuse(reply, 404, 'call not found') : reply.code(204).send();
  });
}
