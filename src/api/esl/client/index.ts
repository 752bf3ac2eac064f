/**
 * The event-socket client side (specs/esl.md §8.5): `EslClient` (connect, auth, commands, events) and
 * `runConsole`, the fs_cli-style console behind `switchboard cli`.
 */
export { EslClient, type EslClientOptions, type EslClientEvents } from './esl-client.ts';
export { EslClientError, type EslClientErrorCode } from './esl-client-error.ts';
export { FrameReader, type ServerFrame } from './frame-reader.ts';
export { runConsole, type ConsoleOptions, type ConsoleIo } from './console.ts';
export { historyFileFor } from './console-history.ts';
