/**
 * `sip:request` command (specs/jambonz.md §1.6, §8.5): accepts the wrapped shape
 * `{sip_request: {method, content_type, content, headers}}` and the flat one the SDKs send
 * (`{method, content_type, content, headers}`); sends the in-dialog request.
 */
import { asHeaders, asRecord, asString } from '../verb-data.ts';
import { sendSipRequest, type SipRequestData } from '../verbs/index.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { CommandHandler } from './command.ts';

/** Both payload shapes to one request; undefined when neither fits. */
export function sipRequestOf(data: unknown): SipRequestData | undefined {
  const outer = asRecord(data);
  const body = asRecord(outer?.['sip_request']) ?? outer;
  const method = asString(body?.['method']);
  if (!body || !method) return undefined;
  const req: SipRequestData = { method };
  const contentType = asString(body['content_type']) ?? asString(body['contentType']);
  if (contentType) req.contentType = contentType;
  const content = asString(body['content']) ?? asString(body['body']);
  if (content !== undefined) req.body = content;
  const headers = asHeaders(body['headers']);
  if (headers) req.headers = headers;
  return req;
}

export const sipRequestCommand: CommandHandler = {
  name: 'sip:request',
  async exec(session, data) {
    const req = sipRequestOf(data);
    if (!req) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'sip:request: missing method');
    const r = await sendSipRequest(session.channel, req);
    if (!r.ok) throw new RuntimeError('JAMBONZ_CALL_STATE', r.error);
  },
};
