/**
 * API `conference` (specs/esl.md §5, mod_conference's API): `conference list` (every room: `+OK Conference
 * <name> (<n> member(s) rate: 8000 flags: ...)` then its members; none: `+OK No active conferences.`),
 * and `conference <name> list [count]` (`<id>;<channel name>;<uuid>;<cid name>;<cid num>;<flags>;<vol_in>;
 * <vol_out>;<energy>`), `mute|unmute|deaf|undeaf|kick|hup <id|all|last|non_moderator>` (`+OK mute <id>` per
 * member, bad id `-ERR Non-Existant ID <id>`), `play <file> [<id>]`, `record <path>`, `norecord
 * <path|all>`, `lock` / `unlock`, `tmute <id|...>` (`+OK mute|unmute <id>`), `volume_in|volume_out <id|...>
 * [<level>|up|down]` (`+OK Volume IN|OUT <id> = <level>`, levels -4..4). Unknown room: `-ERR Conference <name> not found`; unknown sub-command:
 * `-ERR Conference command '<x>' not found.`.
 */
import type { Conference, ConferenceMember } from '../../../core/index.ts';
import type { ApiCommand, ApiContext } from './api-command.ts';

function flags(m: ConferenceMember): string {
  const f: string[] = [];
  if (!m.deaf) f.push('hear');
  if (!m.mute) f.push('speak');
  if (m.talking) f.push('talking');
  if (m.hold) f.push('hold');
  if (m.snapshot().moderator) f.push('moderator');
  return f.join('|');
}

function memberLine(m: ConferenceMember): string {
  const ch = m.channel;
  return `${m.id};${ch.name};${ch.uuid};${ch.caller.name};${ch.caller.number};${flags(m)};${m.volumeIn};${m.volumeOut};100\n`;
}

function roomLine(c: Conference): string {
  return `+OK Conference ${c.name} (${c.size} member${c.size === 1 ? '' : 's'} rate: 8000${c.locked ? ' locked' : ''} flags: running)\n`;
}

function pick(c: Conference, who: string): ConferenceMember[] | undefined {
  const members = c.members();
  if (who === 'all') return members;
  if (who === 'last') return members.slice(-1);
  if (who === 'non_moderator') return members.filter((m) => !m.snapshot().moderator);
  const m = /^\d+$/.test(who) ? c.member(Number(who)) : undefined;
  return m ? [m] : undefined;
}

const MEMBER_OPS: Readonly<Record<string, (c: Conference, m: ConferenceMember) => void>> = {
  mute: (c, m) => c.setMute(m.id, true),
  unmute: (c, m) => c.setMute(m.id, false),
  deaf: (c, m) => c.setDeaf(m.id, true),
  undeaf: (c, m) => c.setDeaf(m.id, false),
  kick: (c, m) => c.kick(m.id),
  hup: (c, m) => c.hup(m.id),
};
const DONE_WORD: Readonly<Record<string, string>> = { kick: 'kicked' };

/** `tmute`: mute when unmuted, else unmute. */
function toggleMute(c: Conference, m: ConferenceMember): string {
  const on = !m.mute;
  c.setMute(m.id, on);
  return `+OK ${on ? 'mute' : 'unmute'} ${m.id}\n`;
}

/** `volume_in|volume_out <id> [<level>|up|down]`: sets (clamped to -4..4 by the member) and reports. */
function volume(c: Conference, m: ConferenceMember, sub: 'volume_in' | 'volume_out', arg: string | undefined): string {
  const inbound = sub === 'volume_in';
  const now = inbound ? m.volumeIn : m.volumeOut;
  if (arg !== undefined) {
    const word = arg.toLowerCase();
    const next = word === 'up' ? now + 1 : word === 'down' ? now - 1 : Number.parseInt(arg, 10) || 0;
    if (inbound) c.setVolumeIn(m.id, next);
    else c.setVolumeOut(m.id, next);
  }
  return `+OK Volume ${inbound ? 'IN' : 'OUT'} ${m.id} = ${inbound ? m.volumeIn : m.volumeOut}\n`;
}

function recordings(ctx: ApiContext, name: string): Map<string, ReturnType<Conference['record']>> {
  const key = `conference:${name}`;
  let map = ctx.recordings.get(key);
  if (!map) {
    map = new Map();
    ctx.recordings.set(key, map);
  }
  return map;
}

export const conference: ApiCommand = {
  name: 'conference',
  usage: '<conference_name|list> <command> [<args>]',
  exec(args, ctx) {
    const words = args.trim().split(/\s+/).filter((w) => w !== '');
    const name = words[0];
    if (name === undefined) return `-USAGE: ${this.usage}\n`;
    if (name === 'list') {
      const rooms = ctx.sw.conferences();
      if (rooms.length === 0) return '+OK No active conferences.\n';
      return rooms.map((c) => roomLine(c) + c.members().map(memberLine).join('')).join('');
    }
    const c = ctx.sw.conference(name);
    if (!c) return `-ERR Conference ${name} not found\n`;
    const sub = (words[1] ?? 'list').toLowerCase();
    const rest = words.slice(2);
    if (sub === 'list') return rest[0] === 'count' ? `${c.size}\n` : c.members().map(memberLine).join('');
    if (sub === 'count') return `${c.size}\n`;
    const op = MEMBER_OPS[sub];
    if (op) {
      const who = rest[0] ?? '';
      const targets = pick(c, who);
      if (!targets) return `-ERR Non-Existant ID ${who}\n`;
      return targets.map((m) => {
        op(c, m);
        return `+OK ${DONE_WORD[sub] ?? sub} ${m.id}\n`;
      }).join('');
    }
    if (sub === 'volume_in' || sub === 'volume_out' || sub === 'tmute') {
      const targets = pick(c, rest[0] ?? '');
      if (!targets) return `-ERR Non-Existant ID ${rest[0] ?? ''}\n`;
      return targets.map((m) => (sub === 'tmute' ? toggleMute(c, m) : volume(c, m, sub, rest[1]))).join('');
    }
    switch (sub) {
      case 'play': {
        const file = rest[0];
        if (file === undefined) return `-USAGE: ${this.usage}\n`;
        if (rest[1] !== undefined) {
          const m = pick(c, rest[1])?.[0];
          if (!m) return `-ERR Member: ${rest[1]} not found.\n`;
          m.channel.play(file);
          return `+OK (play) Playing file ${file} to member ${m.id}\n`;
        }
        c.play(file);
        return `+OK (play) Playing file ${file}\n`;
      }
      case 'record': {
        const path = rest[0];
        if (path === undefined) return `-USAGE: ${this.usage}\n`;
        const map = recordings(ctx, name);
        const rec = c.record(path);
        map.set(path, rec);
        void rec.done.then(() => {
          if (map.get(path) === rec) map.delete(path);
          if (map.size === 0) ctx.recordings.delete(`conference:${name}`);
        });
        return `+OK Record file ${path}\n`;
      }
      case 'norecord': {
        const path = rest[0] ?? 'all';
        const map = recordings(ctx, name);
        const victims = path === 'all' ? [...map.values()] : [map.get(path)].filter((r) => r !== undefined);
        for (const r of victims) r.stop();
        if (map.size === 0) ctx.recordings.delete(`conference:${name}`);
        return victims.length === 0 ? '-ERR Nothing to stop\n' : `+OK Stopped recording file ${path}\n`;
      }
      case 'lock':
        c.lock();
        return `+OK ${name} locked\n`;
      case 'unlock':
        c.unlock();
        return `+OK ${name} unlocked\n`;
      default:
        return `-ERR Conference command '${sub}' not found.\n`;
    }
  },
};
