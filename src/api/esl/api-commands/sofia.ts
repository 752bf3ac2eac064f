/**
 * API `sofia status [profile <name> [reg]]` (specs/esl.md §5, mod_sofia's status table): one profile
 * per SIP listener set given to the event socket. The table: `%25s\t%s\t  %40s\t%s` rows (Name, Type,
 * Data, State) between two 97-character rules, then `<n> profile(s) <m> alias(es)` pluralized as the
 * original; `RUNNING (<calls in use>)`. `profile <name>` prints the profile's settings; `reg` its
 * registrations. Gateways are not kept, so `gateway` always answers `Invalid Gateway!`.
 */
import type { ApiCommand, ApiContext, SofiaProfile } from './api-command.ts';

const RULE = '='.repeat(97);

function row(a: string, b: string, c: string, d: string): string {
  return `${a.padStart(25)}\t${b}\t  ${c.padStart(40)}\t${d}\n`;
}

function field(name: string, value: string): string {
  return `${name.padEnd(17)}\t${value}\n`;
}

function inUse(ctx: ApiContext): number {
  return ctx.sw.channels().filter((c) => c.endpoint === 'sip').length;
}

function profileDetails(ctx: ApiContext, p: SofiaProfile, withReg: boolean): string {
  const host = /@([^;>]+)/.exec(p.url)?.[1] ?? '';
  const ip = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  const sip = ctx.sw.channels().filter((c) => c.endpoint === 'sip');
  const regs = ctx.registrations.list();
  let out = `${RULE}\n`;
  out += field('Name', p.name);
  out += field('Domain Name', 'N/A');
  out += field('Auto-NAT', 'false');
  out += field('DBName', `sofia_reg_${p.name}`);
  out += field('Pres Hosts', ctx.hub.identity.hostname);
  out += field('Dialplan', 'XML');
  out += field('Context', 'default');
  out += field('Challenge Realm', 'auto_from');
  out += field('RTP-IP', ip);
  out += field('SIP-IP', ip);
  out += field('URL', p.url);
  out += field('BIND-URL', p.url);
  out += field('CALLS-IN', String(sip.filter((c) => c.direction === 'inbound').length));
  out += field('FAILED-CALLS-IN', '0');
  out += field('CALLS-OUT', String(sip.filter((c) => c.direction === 'outbound').length));
  out += field('FAILED-CALLS-OUT', '0');
  out += field('REGISTRATIONS', String(regs.length));
  if (withReg) {
    out += `\nRegistrations:\n${RULE}\n`;
    for (const r of regs) {
      const secs = Math.max(0, Math.round((r.expiresAt - ctx.sw.now()) / 1000));
      out += `Call-ID:    \t${r.callId}\nUser:       \t${r.user}@${r.domain}\nContact:    \t"${r.user}" <${r.contact}>\n`;
      out += `Agent:      \t${r.userAgent ?? ''}\nStatus:     \tRegistered(${r.transport.toUpperCase()})(unknown) EXPSECS(${secs})\n`;
      out += `Host:       \t${ctx.hub.identity.hostname}\nIP:         \t${r.networkIp}\nPort:       \t${r.networkPort}\n`;
      out += `Auth-User:  \t${r.user}\nAuth-Realm: \t${r.domain}\nMWI-Account:\t${r.user}@${r.domain}\n\n`;
    }
    out += `Total items returned: ${regs.length}\n`;
  }
  return `${out}${RULE}\n`;
}

export const sofia: ApiCommand = {
  name: 'sofia',
  usage: 'status [profile <name> [reg]]',
  exec(args, ctx) {
    const words = args.trim().split(/\s+/).filter((w) => w !== '');
    if ((words[0] ?? '').toLowerCase() !== 'status') return `-USAGE: ${this.usage}\n`;
    const kind = (words[1] ?? '').toLowerCase();
    if (kind === 'profile') {
      const p = ctx.profiles.find((x) => x.name === words[2]);
      if (!p) return 'Invalid Profile!\n';
      return profileDetails(ctx, p, (words[3] ?? '').toLowerCase() === 'reg');
    }
    if (kind === 'gateway') return 'Invalid Gateway!\n';
    let out = row('Name', '   Type', 'Data', 'State') + `${RULE}\n`;
    for (const p of ctx.profiles) out += row(p.name, 'profile', p.url, `RUNNING (${inUse(ctx)})`);
    const n = ctx.profiles.length;
    return `${out}${RULE}\n${n} profile${n === 1 ? '' : 's'} 0 aliases\n`;
  },
};
