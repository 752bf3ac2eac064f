/**
 * The WebSocket API envelope (specs/jambonz.md §1.2, §1.3, §1.5, §1.6), pure: building the messages
 * jambonz sends (`{type, msgid, call_sid, hook?, data}`) and parsing what the application sends back
 * (`ack` with `msgid` and `data`; `command` with `command`, `queueCommand`, `callSid`, `data`). Anything
 * else is an invalid message, answered by the requestor with `jambonz:error` `{msg:'InvalidMessage'}`.
 */
import type { AppCommand } from '../contract.ts';

/** Message types that carry the `hook` field (the hook URL as written in the verb). */
export const TYPES_WITH_HOOK: ReadonlySet<string> = new Set([
  'verb:hook',
  'dial:confirm',
  'session:redirect',
  'llm:event',
  'llm:tool-call',
]);

/** Message types sent without waiting for an ack (§8.1); every other type expects one. */
export const TYPES_WITHOUT_ACK: ReadonlySet<string> = new Set([
  'call:status',
  'verb:status',
  'jambonz:error',
  'llm:event',
  'llm:tool-call',
  'tts:streaming-event',
  'tts:tokens-result',
]);

/** Commands accepted without `data` (§1.2). */
export const COMMANDS_WITHOUT_DATA: ReadonlySet<string> = new Set(['llm:tool-output', 'tts:flush', 'tts:clear']);

export interface Envelope {
  type: string;
  msgid: string;
  call_sid: string;
  hook?: string;
  data: unknown;
}

/** The envelope of one outgoing message; `hook` is kept only for the types that carry it. */
export function buildEnvelope(type: string, msgid: string, callSid: string, data: unknown, hook?: string): Envelope {
  const env: Envelope = { type, msgid, call_sid: callSid, data };
  if (hook !== undefined && TYPES_WITH_HOOK.has(type)) {
    return { type, msgid, call_sid: callSid, hook, data };
  }
  return env;
}

export type AppMessage =
  | { kind: 'ack'; msgid: string; data: unknown }
  | { kind: 'command'; command: AppCommand }
  | { kind: 'invalid'; details: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one text frame from the application. Never throws. */
export function parseAppMessage(text: string): AppMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { kind: 'invalid', details: 'message is not valid JSON' };
  }
  if (!isRecord(msg)) return { kind: 'invalid', details: 'message is not a JSON object' };
  const type = msg['type'];
  if (typeof type !== 'string') return { kind: 'invalid', details: 'missing type' };
  if (type === 'ack') {
    const msgid = msg['msgid'];
    if (typeof msgid !== 'string' || msgid === '') return { kind: 'invalid', details: 'ack without msgid' };
    return { kind: 'ack', msgid, data: msg['data'] };
  }
  if (type === 'command') {
    const command = msg['command'];
    if (typeof command !== 'string' || command === '') return { kind: 'invalid', details: 'command without command' };
    if (!('data' in msg) && !COMMANDS_WITHOUT_DATA.has(command)) {
      return { kind: 'invalid', details: `command ${command} without data` };
    }
    const callSid = msg['callSid'];
    const msgid = msg['msgid'];
    const parsed: AppCommand = {
      command,
      queueCommand: msg['queueCommand'] === true,
      data: msg['data'],
      raw: msg,
      ...(typeof callSid === 'string' && callSid !== '' ? { callSid } : {}),
      ...(typeof msgid === 'string' ? { msgid } : {}),
    };
    return { kind: 'command', command: parsed };
  }
  return { kind: 'invalid', details: `unknown message type ${type}` };
}
