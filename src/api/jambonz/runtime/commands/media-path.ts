/**
 * `media:path` command and REST `media_path` (specs/jambonz.md §1.6, §2.6): moves the media of a call
 * bridged by `dial` out of the server or back. `no-media`: the two parties exchange RTP directly (the
 * server keeps only the signalling); `full-media` and `partial-media`: media flows through the server
 * again (here one process is both the SBC and the media server, so partial media, where the original's
 * SBC relays RTP, is the server relaying the bridged media, which is full media). Data bare
 * (`'no-media'`) or wrapped (`{media_path: 'no-media'}`). A call that is not bridged, or whose legs
 * cannot bypass media, answers the app with `jambonz:error` / 422.
 */
import type { MediaPath } from '../../../../core/index.ts';
import { connectOf } from '../dial/connect-services.ts';
import { RuntimeError } from '../runtime-error.ts';
import { asRecord } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import type { CommandHandler } from './command.ts';

export const MEDIA_PATH_VALUES = ['no-media', 'partial-media', 'full-media'] as const;
export type MediaPathValue = (typeof MEDIA_PATH_VALUES)[number];

export function mediaPathOf(data: unknown): MediaPathValue | undefined {
  const value = typeof data === 'string' ? data : asRecord(data)?.['media_path'];
  return (MEDIA_PATH_VALUES as readonly unknown[]).includes(value) ? (value as MediaPathValue) : undefined;
}

export function corePathOf(value: MediaPathValue): MediaPath {
  return value === 'no-media' ? 'bypassed' : 'anchored';
}

/** Changes the media path of the session's bridged call; throws RuntimeError when it cannot. */
export async function applyMediaPath(session: VerbServices, value: MediaPathValue): Promise<void> {
  const sw = connectOf(session)?.sw;
  const leg = session.channel;
  if (leg.ended) throw new RuntimeError('JAMBONZ_CALL_STATE', 'media:path: the call has ended');
  const bridge = sw?.bridgeOf(leg.uuid);
  if (!bridge) throw new RuntimeError('JAMBONZ_CALL_STATE', 'media:path: the call is not bridged to another party (dial)');
  const r = await bridge.setMediaPath(corePathOf(value));
  if (!r.ok) {
    session.log.info({ mediaPath: value, err: r.error.message, code: r.error.code }, 'media:path refused');
    const code = r.error.code === 'CORE_NOT_SUPPORTED' ? 'JAMBONZ_UNSUPPORTED' : 'JAMBONZ_CALL_STATE';
    throw new RuntimeError(code, `media:path ${value}: ${r.error.message}`);
  }
  session.log.info({ mediaPath: value, bridge: bridge.id }, 'media:path applied');
}

export const mediaPathCommand: CommandHandler = {
  name: 'media:path',
  async exec(session, data) {
    const value = mediaPathOf(data);
    if (!value) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', `media:path must be one of ${MEDIA_PATH_VALUES.join(', ')}`);
    await applyMediaPath(session, value);
  },
};
