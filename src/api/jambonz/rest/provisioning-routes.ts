/**
 * `/v1/Applications` and `/v1/PhoneNumbers` in the jambonz api-server shapes (specs/jambonz.md §2.6;
 * api-server `lib/routes/api/applications.js`, `phone-numbers.js`, `decorate.js`): POST answers 201
 * `{sid}`, GET lists or retrieves (404 for an unknown sid), PUT and DELETE answer 204; invalid bodies 400
 * `{msg}`, refused changes 422 `{msg}`. `/v1/Accounts/:sid/Applications` lists one account's.
 */
import type { FastifyInstance } from 'fastify';
import {
  applicationView, parseApplicationChanges, parsePhoneNumberCreate, parsePhoneNumberUpdate, phoneNumberView,
} from '../provisioning/index.ts';
import { refuse, type RestDeps } from './rest-deps.ts';

type SidParams = { Params: { sid: string } };

export function registerProvisioningRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { store } = deps;

  app.post('/Applications', async (req, reply) => {
    const changes = parseApplicationChanges(req.body);
    if (!changes.ok) return refuse(reply, 400, changes.message);
    const made = store.createApplication(changes.value);
    if (!made.ok) return refuse(reply, made.status, made.message);
    deps.log.info({ application_sid: made.value.application_sid, name: made.value.name }, 'application created');
    return reply.code(201).send({ sid: made.value.application_sid });
  });
  app.get('/Applications', async () => store.applications().map(applicationView));
  app.get<SidParams>('/Accounts/:sid/Applications', async (req) =>
    store.applications().filter((a) => a.account_sid === req.params.sid).map(applicationView));
  app.get<SidParams>('/Applications/:sid', async (req, reply) => {
    const found = store.application(req.params.sid);
    return found ? applicationView(found) : refuse(reply, 404, 'application not found');
  });
  app.put<SidParams>('/Applications/:sid', async (req, reply) => {
    const changes = parseApplicationChanges(req.body);
    if (!changes.ok) return refuse(reply, 400, changes.message);
    const updated = store.updateApplication(req.params.sid, changes.value);
    if (!updated.ok) return refuse(reply, updated.status, updated.message);
    return reply.code(204).send();
  });
  app.delete<SidParams>('/Applications/:sid', async (req, reply) => {
    const removed = store.deleteApplication(req.params.sid);
    if (!removed.ok) return refuse(reply, removed.status, removed.message);
    return reply.code(204).send();
  });

  app.post('/PhoneNumbers', async (req, reply) => {
    const input = parsePhoneNumberCreate(req.body);
    if (!input.ok) return refuse(reply, 400, input.message);
    const made = store.createPhoneNumber(input.value);
    if (!made.ok) return refuse(reply, made.status, made.message);
    deps.log.info({ phone_number_sid: made.value.phone_number_sid, number: made.value.number }, 'phone number created');
    return reply.code(201).send({ sid: made.value.phone_number_sid });
  });
  app.get('/PhoneNumbers', async () => store.phoneNumbers().map(phoneNumberView));
  app.get<SidParams>('/PhoneNumbers/:sid', async (req, reply) => {
    const found = store.phoneNumber(req.params.sid);
    return found ? phoneNumberView(found) : refuse(reply, 404, 'phone number not found');
  });
  app.put<SidParams>('/PhoneNumbers/:sid', async (req, reply) => {
    const changes = parsePhoneNumberUpdate(req.body);
    if (!changes.ok) return refuse(reply, 400, changes.message);
    const updated = store.updatePhoneNumber(req.params.sid, changes.value);
    if (!updated.ok) return refuse(reply, updated.status, updated.message);
    return reply.code(204).send();
  });
  app.delete<SidParams>('/PhoneNumbers/:sid', async (req, reply) => {
    const removed = store.deletePhoneNumber(req.params.sid);
    if (!removed.ok) return refuse(reply, removed.status, removed.message);
    return reply.code(204).send();
  });
}
