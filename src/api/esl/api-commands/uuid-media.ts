/**
 * API `uuid_media [off] <uuid>` and `uuid_media_reneg <uuid>[ <codec_string>]` (specs/esl.md §5;
 * FreeSWITCH mod_commands uuid_media / switch_ivr_nomedia): `off` takes the bridged call's media out of
 * the server (the two parties exchange RTP directly, variable `bypass_media=true` on both legs), without
 * `off` brings it back and bridges it again. `+OK Success` / `-ERR Operation Failed` (unknown uuid, a
 * leg that is not bridged, legs that cannot bypass); a usage line without arguments. uuid_media_reneg
 * has nothing to renegotiate here (codecs do not change): `+OK Success` for an anchored leg, `-ERR
 * Operation Failed` for a bypassed one or a codec string.
 */
import type { Logger } from '../../../lib/index.ts';
import type { MediaPath, Switch } from '../../../core/index.ts';
import type { ApiCommand } from './api-command.ts';

const FAILED = '-ERR Operation Failed\n';
const SUCCESS = '+OK Success\n';

/**
 * Moves the media of the bridge `id` is in; true when done (or already so). A leg on its own has no
 * media path to change: false, with a log line saying why.
 */
export async function setMediaPathOf(sw: Switch, id: string | undefined, path: MediaPath, log: Logger): Promise<boolean> {
  const channel = id ? sw.channel(id) : undefined;
  if (!channel || channel.ended) {
    log.info({ uuid: id, path }, 'media path: no such channel');
    return false;
  }
  const bridge = sw.bridgeOf(channel.uuid);
  if (!bridge) {
    if (path === 'anchored' && channel.mediaPath === 'anchored') return true;
    log.info({ uuid: id, path }, 'media path: the channel is not bridged');
    return false;
  }
  const r = await bridge.setMediaPath(path);
  if (!r.ok) log.info({ uuid: id, path, code: r.error.code, err: r.error.message }, 'media path not changed');
  return r.ok;
}

export const uuidMedia: ApiCommand = {
  name: 'uuid_media',
  usage: '[off] <uuid>',
  async exec(args, ctx) {
    const words = args.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return `-USAGE: ${this.usage}\n`;
    const off = words[0]!.toLowerCase() === 'off';
    const id = off ? words[1] : words[0];
    const ok = await setMediaPathOf(ctx.sw, id, off ? 'bypassed' : 'anchored', ctx.sw.log.child({ room: 'esl' }));
    return ok ? SUCCESS : FAILED;
  },
};

export const uuidMediaReneg: ApiCommand = {
  name: 'uuid_media_reneg',
  usage: '<uuid>[ <codec_string>]',
  exec(args, ctx) {
    const words = args.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(words[0]!.replace(/^\+/, ''));
    if (!channel || channel.ended) return FAILED;
    if (channel.mediaPath === 'bypassed' || words.length > 1) {
      ctx.sw.log.child({ room: 'esl' }).info({ uuid: channel.uuid, codecs: words[1] }, 'uuid_media_reneg: cannot renegotiate (media bypassed or codec change asked)');
      return FAILED;
    }
    return SUCCESS;
  },
};
