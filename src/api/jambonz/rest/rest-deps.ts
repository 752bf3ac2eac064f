/** What the REST routes need from the rest of the surface. */
import type { FastifyReply } from 'fastify';
import type { Logger } from '../../../lib/index.ts';
import type { RestOutcome, SessionManager } from '../contract.ts';
import type { AccountCredentials, ApiKeyStore, ProvisioningStore } from '../provisioning/index.ts';
import type { RecordingCatalog } from '../runtime/index.ts';

export interface RestDeps {
  store: ProvisioningStore;
  credentials: AccountCredentials;
  /** The runtime serving call control (looked up per request, so it can be attached after the routes). */
  sessions: () => SessionManager | undefined;
  /** This server's base URL (`http://host:port`), reported as a call's `service_url`. */
  serviceUrl: () => string;
  log: Logger;
  /** Call recordings to list and download (`/Accounts/:sid/Recordings`). */
  recordings?: RecordingCatalog;
  /** API keys made over REST (`/ApiKeys`); absent: only the main key. */
  apiKeys?: ApiKeyStore;
  /** Replaces the account's webhook secret (persisted) and returns the new one; absent: not offered. */
  regenerateWebhookSecret?: () => string;
}

/** Sends `{msg}` with a status, the api-server's error shape. */
export function refuse(reply: FastifyReply, status: number, msg: string): FastifyReply {
  return reply.code(status).send({ msg });
}

export function sendOutcome(reply: FastifyReply, outcome: RestOutcome): FastifyReply {
  reply.code(outcome.status);
  return outcome.body === undefined ? reply.send() : reply.send(outcome.body);
}
