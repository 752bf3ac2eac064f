/**
 * Call recordings over REST (this server's addition to specs/jambonz.md §2.6, Bearer auth as every
 * route): `GET /Accounts/:sid/Recordings` lists the account's recordings newest first (each with the
 * `url` of its WAV), `GET /Accounts/:sid/Recordings/:recordingSid` sends the stereo WAV (caller left,
 * the other party right); 404 for an unknown recording, 409 while it is still being recorded.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { RecordingCatalog } from '../runtime/index.ts';
import { refuse } from './rest-deps.ts';

type AccountParams = { Params: { sid: string } };
type RecordingParams = { Params: { sid: string; recordingSid: string } };

export function registerRecordingRoutes(app: FastifyInstance, catalog: RecordingCatalog): void {
  app.get<AccountParams>('/Accounts/:sid/Recordings', async (req) => {
    const list = await catalog.list(req.params.sid);
    return list.map((m) => ({ ...m, url: `/v1/Accounts/${req.params.sid}/Recordings/${m.recording_sid}` }));
  });

  app.get<RecordingParams>('/Accounts/:sid/Recordings/:recordingSid', async (req, reply) => {
    const found = await catalog.get(req.params.sid, req.params.recordingSid);
    if (!found) return refuse(reply, 404, 'recording not found');
    if (!found.file) return refuse(reply, 409, `recording is ${found.meta.status}`);
    const size = (await stat(found.file)).size;
    return reply
      .header('content-type', 'audio/wav')
      .header('content-length', size)
      .header('content-disposition', `attachment; filename="${found.meta.recording_sid}.wav"`)
      .send(createReadStream(found.file));
  });
}
