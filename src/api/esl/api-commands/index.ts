/**
 * The API command table of the event socket (specs/esl.md §5), and running one line the way
 * mod_event_socket's api_exec does (§2.2 api): the first space separates the command from its
 * arguments (both trimmed); an unknown or failing API answers `-ERR <cmd> Command not found!\n`.
 */
import { errorMessage, type Logger } from '../../../lib/index.ts';
import type { ApiCommand, ApiContext, ApiOutput } from './api-command.ts';
import { globalGetvar, globalSetvar } from './global-vars.ts';
import { hupall } from './hupall.ts';
import { createUuid, echo, hostname, msleep, switchname } from './info.ts';
import { originate } from './originate.ts';
import { show } from './show.ts';
import { status } from './status.ts';
import { uptime } from './uptime.ts';
import { uuidAnswer, uuidPreAnswer } from './uuid-answer.ts';
import { uuidBroadcast } from './uuid-broadcast.ts';
import { uuidDump } from './uuid-dump.ts';
import { uuidExists } from './uuid-exists.ts';
import { uuidGetvar } from './uuid-getvar.ts';
import { uuidKill } from './uuid-kill.ts';
import { uuidSendDtmf } from './uuid-send-dtmf.ts';
import { uuidSetvar } from './uuid-setvar.ts';
import { version } from './version.ts';
import { conference } from './conference.ts';
import { evalApi, expand } from './eval.ts';
import { load, moduleExists, reload, reloadxml, unload, userExists } from './modules.ts';
import { uuidDeflect, uuidFlushDtmf, uuidRingReady } from './uuid-misc.ts';
import { uuidDisplace } from './uuid-displace.ts';
import { fsctl } from './fsctl.ts';
import { schedApi } from './sched-api.ts';
import { schedHangup } from './sched-hangup.ts';
import { sofia } from './sofia.ts';
import { uuidBreak } from './uuid-break.ts';
import { uuidBridge } from './uuid-bridge.ts';
import { uuidHold } from './uuid-hold.ts';
import { uuidMedia, uuidMediaReneg } from './uuid-media.ts';
import { uuidPark } from './uuid-park.ts';
import { uuidRecord } from './uuid-record.ts';
import { uuidRecvDtmf } from './uuid-recv-dtmf.ts';
import { uuidSetvarMulti } from './uuid-setvar-multi.ts';
import { uuidTransfer } from './uuid-transfer.ts';

export type { ApiCommand, ApiContext, ApiOutput, SofiaProfile } from './api-command.ts';
export { ApiScheduler } from './api-scheduler.ts';

export const API_COMMANDS: ReadonlyMap<string, ApiCommand> = new Map([
  status, version, uptime, hostname, switchname, createUuid, echo, msleep, show, originate, uuidKill, uuidExists,
  uuidGetvar, uuidSetvar, uuidAnswer, uuidPreAnswer, uuidDump, uuidBroadcast, uuidSendDtmf, hupall, globalGetvar,
  globalSetvar, uuidBridge, uuidTransfer, uuidBreak, uuidRecord, uuidHold, uuidPark, uuidSetvarMulti, uuidRecvDtmf, schedHangup,
  schedApi, evalApi, expand, reloadxml, moduleExists, userExists, sofia, conference, load, reload, unload, uuidRingReady,
  uuidDeflect, uuidFlushDtmf, uuidDisplace, fsctl, uuidMedia, uuidMediaReneg,
].map((c) => [c.name, c] as const));

/** Splits `cmd args` at the first space, both trimmed. */
export function splitApiLine(line: string): { command: string; args: string } {
  const t = line.trim();
  const i = t.indexOf(' ');
  return i < 0 ? { command: t, args: '' } : { command: t.slice(0, i).trim(), args: t.slice(i + 1).trim() };
}

/** Runs an API; the raw output ('' when it wrote nothing), or the not-found text. Never rejects. */
export async function runApi(command: string, args: string, ctx: ApiContext, log: Logger): Promise<string> {
  const api = API_COMMANDS.get(command.toLowerCase());
  const notFound = `-ERR ${command} Command not found!\n`;
  if (!api) return notFound;
  let out: ApiOutput;
  try {
    out = await api.exec(args, ctx);
  } catch (err) {
    log.warn({ command, err: errorMessage(err) }, 'API command failed');
    return notFound;
  }
  return out ?? notFound;
}
