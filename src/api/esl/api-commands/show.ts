/**
 * API `show channels|calls|registrations [count|like <str>] [as json|xml|delim <c>]` (specs/esl.md §5): CSV with a
 * header line and `\n<N> total.\n`; no rows: exactly `\n0 total.\n`; json: compact
 * `{"row_count":N,"rows":[...]}` (zero rows: `{"row_count": 0}\n`); xml: `<result row_count="N">...`.
 */
import type { Channel, Switch } from '../../../core/index.ts';
import { callState, runningState } from '../channel-headers.ts';
import { xmlEscape } from '../esl-event.ts';
import { localDate } from '../event-stamp.ts';
import type { ApiCommand, ApiContext } from './api-command.ts';

export const CHANNEL_COLUMNS = ('uuid,direction,created,created_epoch,name,state,cid_name,cid_num,ip_addr,dest,application,'
  + 'application_data,dialplan,context,read_codec,read_rate,read_bit_rate,write_codec,write_rate,write_bit_rate,secure,'
  + 'hostname,presence_id,presence_data,accountcode,callstate,callee_name,callee_num,callee_direction,call_uuid,'
  + 'sent_callee_name,sent_callee_num,initial_cid_name,initial_cid_num,initial_ip_addr,initial_dest,initial_dialplan,'
  + 'initial_context').split(',');

export const CALL_COLUMNS = ('uuid,direction,created,created_epoch,name,state,cid_name,cid_num,ip_addr,dest,presence_id,'
  + 'presence_data,accountcode,callstate,callee_name,callee_num,callee_direction,call_uuid,hostname,sent_callee_name,'
  + 'sent_callee_num,b_uuid,b_direction,b_created,b_created_epoch,b_name,b_state,b_cid_name,b_cid_num,b_ip_addr,b_dest,'
  + 'b_presence_id,b_presence_data,b_accountcode,b_callstate,b_callee_name,b_callee_num,b_callee_direction,'
  + 'b_sent_callee_name,b_sent_callee_num,call_created_epoch').split(',');

type Row = Record<string, string>;

/** Sample rate and bit rate FreeSWITCH reports per codec (show channels read_rate / read_bit_rate). */
const CODEC_RATES: Readonly<Record<string, readonly [rate: string, bitRate: string]>> = {
  PCMU: ['8000', '64000'], PCMA: ['8000', '64000'], G722: ['16000', '64000'], L16: ['8000', '128000'], OPUS: ['48000', '0'],
};

function codecOf(ch: Channel): string {
  const v = ch.getVariable('read_codec');
  if (v !== undefined) return v;
  try {
    return ch.media?.stats().codec?.toUpperCase() ?? '';
  } catch {
    return '';
  }
}

export function channelRow(ch: Channel, hostname: string): Row {
  const s = ch.snapshot();
  const v = s.variables;
  const codec = codecOf(ch);
  const [rate, bitRate] = CODEC_RATES[codec.toUpperCase()] ?? ['', ''];
  const ip = v['network_addr'] ?? v['sip_network_ip'] ?? '';
  return {
    uuid: s.uuid, direction: s.direction, created: localDate(s.times.created),
    created_epoch: String(Math.floor(s.times.created / 1000)), name: s.name, state: runningState(s.direction, s.state),
    cid_name: s.caller.name, cid_num: s.caller.number, ip_addr: ip, dest: s.destination,
    application: v['current_application'] ?? '', application_data: v['current_application_data'] ?? '',
    dialplan: 'XML', context: 'default', read_codec: codec, read_rate: v['read_rate'] ?? rate, read_bit_rate: bitRate,
    write_codec: v['write_codec'] ?? codec, write_rate: v['write_rate'] ?? rate, write_bit_rate: bitRate, secure: '',
    hostname, presence_id: v['presence_id'] ?? '', presence_data: '', accountcode: v['accountcode'] ?? '',
    callstate: callState(s.direction, s.state, s.held), callee_name: s.callee.name, callee_num: s.callee.number,
    callee_direction: '', call_uuid: v['call_uuid'] ?? s.parentUuid ?? s.uuid,
    sent_callee_name: '', sent_callee_num: '', initial_cid_name: s.caller.name, initial_cid_num: s.caller.number,
    initial_ip_addr: ip, initial_dest: s.destination, initial_dialplan: 'XML', initial_context: 'default',
  };
}

function callRows(sw: Switch, hostname: string): Row[] {
  const rows: Row[] = [];
  const bLegs = new Set(sw.bridges().map((b) => b.b.uuid));
  for (const ch of sw.channels()) {
    if (bLegs.has(ch.uuid)) continue;
    const a = channelRow(ch, hostname);
    const row: Row = {};
    for (const col of CALL_COLUMNS) row[col] = a[col] ?? '';
    const bridge = sw.bridgeOf(ch.uuid);
    const partner = bridge ? (bridge.a.uuid === ch.uuid ? bridge.b : bridge.a) : undefined;
    if (partner) {
      const b = channelRow(partner, hostname);
      for (const col of CALL_COLUMNS) if (col.startsWith('b_')) row[col] = b[col.slice(2)] ?? '';
      row['call_created_epoch'] = row['created_epoch'] ?? '';
    }
    rows.push(row);
  }
  return rows;
}

export const REGISTRATION_COLUMNS = 'reg_user,realm,token,url,expires,network_ip,network_port,network_proto,hostname,metadata'.split(',');

function registrationRows(ctx: ApiContext): Row[] {
  return ctx.registrations.list().map((r) => ({
    reg_user: r.user, realm: r.domain, token: r.callId, url: r.contact, expires: String(Math.floor(r.expiresAt / 1000)),
    network_ip: r.networkIp, network_port: String(r.networkPort), network_proto: r.transport, hostname: ctx.hub.identity.hostname,
    metadata: '',
  }));
}

function like(row: Row, needle: string): boolean {
  return ['uuid', 'name', 'cid_name', 'cid_num', 'dest', 'presence_id', 'reg_user', 'url'].some((c) => (row[c] ?? '').includes(needle));
}

export function formatRows(columns: readonly string[], rows: readonly Row[], format: { kind: 'csv' | 'json' | 'xml'; delim: string }): string {
  if (format.kind === 'json') {
    if (rows.length === 0) return '{"row_count": 0}\n';
    const items = rows.map((r) => `{${columns.map((c) => `${JSON.stringify(c)}:${JSON.stringify(r[c] ?? '')}`).join(',')}}`);
    return `{"row_count":${rows.length},"rows":[${items.join(',')}]}`;
  }
  if (format.kind === 'xml') {
    const items = rows.map((r, i) => `<row row_id="${i + 1}">${columns.map((c) => `<${c}>${xmlEscape(r[c] ?? '')}</${c}>`).join('')}</row>`);
    return `<result row_count="${rows.length}">${items.join('')}</result>\n`;
  }
  if (rows.length === 0) return '\n0 total.\n';
  const lines = [columns.join(format.delim), ...rows.map((r) => columns.map((c) => r[c] ?? '').join(format.delim))];
  return `${lines.join('\n')}\n\n${rows.length} total.\n`;
}

export const show: ApiCommand = {
  name: 'show',
  usage: 'channels|calls|registrations [count|like <match string>] [as xml|json|delim <c>]',
  exec(args, ctx: ApiContext) {
    const words = args.trim().split(/\s+/).filter((w) => w !== '');
    const what = (words.shift() ?? '').toLowerCase();
    if (what !== 'channels' && what !== 'calls' && what !== 'registrations') return `-USAGE: ${this.usage}\n`;
    const format: { kind: 'csv' | 'json' | 'xml'; delim: string } = { kind: 'csv', delim: ',' };
    let count = false;
    let needle: string | undefined;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!.toLowerCase();
      if (w === 'count') count = true;
      else if (w === 'like') needle = words[++i] ?? '';
      else if (w === 'as') {
        const f = (words[++i] ?? '').toLowerCase();
        if (f === 'json' || f === 'xml') format.kind = f;
        else if (f === 'delim') format.delim = words[++i] ?? ',';
      }
    }
    const hostname = ctx.hub.identity.hostname;
    const columns = what === 'channels' ? CHANNEL_COLUMNS : what === 'calls' ? CALL_COLUMNS : REGISTRATION_COLUMNS;
    let rows = what === 'channels' ? ctx.sw.channels().map((c) => channelRow(c, hostname))
      : what === 'calls' ? callRows(ctx.sw, hostname) : registrationRows(ctx);
    if (needle !== undefined) rows = rows.filter((r) => like(r, needle));
    if (count) return format.kind === 'json' ? `{"row_count":${rows.length}}` : `\n${rows.length} total.\n`;
    return formatRows(columns, rows, format);
  },
};
