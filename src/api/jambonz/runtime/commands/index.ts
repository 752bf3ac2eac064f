/**
 * The command table (specs/jambonz.md §1.6) and its dispatcher: `callSid` (camelCase) targets another
 * session; unknown commands, bad data and unsupported features answer the app with `jambonz:error`
 * `{msg, details, command}` and a log line.
 */
import { errorMessage } from '../../../../lib/index.ts';
import type { AppCommand } from '../../contract.ts';
import type { CallSession } from '../call-session.ts';
import { RuntimeError } from '../runtime-error.ts';
import { boostAudioSignalCommand } from './boost-audio-signal.ts';
import { callStatusCommand } from './call-status.ts';
import type { CommandHandler } from './command.ts';
import { configCommand } from './config.ts';
import { dialCommand } from './dial-command.ts';
import { confHoldStatusCommand, confMuteStatusCommand, confParticipantActionCommand } from './conference-commands.ts';
import { dtmfCommand } from './dtmf.ts';
import { dubCommand } from './dub.ts';
import { listenStatusCommands } from './listen-status.ts';
import { mediaPathCommand } from './media-path.ts';
import { dialChildOf, muteStatusCommand } from './mute-status.ts';
import { recordCommand } from './record.ts';
import { redirectCommand } from './redirect.ts';
import { sipRequestCommand } from './sip-request.ts';
import { tagCommand } from './tag.ts';
import { transcribeStatusCommand } from './transcribe-status.ts';
import { UNSUPPORTED_COMMANDS, unsupportedCommand } from './unsupported.ts';
import { whisperCommand } from './whisper.ts';

export const COMMANDS: ReadonlyMap<string, CommandHandler> = new Map<string, CommandHandler>([
  ...[redirectCommand, callStatusCommand, sipRequestCommand, dtmfCommand, configCommand, tagCommand]
    .map((h): [string, CommandHandler] => [h.name, h]),
  ...[confMuteStatusCommand, confHoldStatusCommand, confParticipantActionCommand, dialCommand, ...listenStatusCommands, recordCommand, whisperCommand]
    .map((h): [string, CommandHandler] => [h.name, h]),
  ...[muteStatusCommand, transcribeStatusCommand, dubCommand, boostAudioSignalCommand, mediaPathCommand].map((h): [string, CommandHandler] => [h.name, h]),
  ...UNSUPPORTED_COMMANDS.map((name): [string, CommandHandler] => [name, unsupportedCommand(name)]),
]);

/**
 * Runs `command` from the app of `from`: on the session `callSid` names when set (found with `find`),
 * else on `from`. Errors go back to `from`'s app. Resolves when the command has been applied.
 */
export async function dispatchCommand(command: AppCommand, from: CallSession, find: (callSid: string) => CallSession | undefined): Promise<void> {
  const fail = (err: unknown): void => {
    const code = err instanceof RuntimeError ? err.code : 'JAMBONZ_COMMAND_INVALID';
    from.notifyError({ msg: code === 'JAMBONZ_UNSUPPORTED' ? 'unsupported command' : 'invalid command', details: errorMessage(err), command: command.command });
  };
  const handler = COMMANDS.get(command.command);
  const callSid = command.callSid;
  const target = callSid === undefined || callSid === from.callSid ? from
    : find(callSid) ?? (handler?.reachesDialLeg && dialChildOf(from, callSid) ? from : undefined);
  if (!target) return fail(new RuntimeError('JAMBONZ_COMMAND_INVALID', `no call with callSid ${command.callSid}`));
  if (!handler) return fail(new RuntimeError('JAMBONZ_COMMAND_INVALID', `unknown command ${command.command}`));
  if (target.ended) return fail(new RuntimeError('JAMBONZ_CALL_STATE', 'the call has ended'));
  try {
    await handler.exec(target, command.data, command);
  } catch (err) {
    fail(err);
  }
}

export { sipRequestOf } from './sip-request.ts';
export { controlUpdate } from './control-updates.ts';
export { dtmfOf } from './dtmf.ts';
export { applyMediaPath, mediaPathOf } from './media-path.ts';
export { whisperToDial, whisperVerbsOf } from './whisper.ts';
export type { CommandHandler } from './command.ts';
