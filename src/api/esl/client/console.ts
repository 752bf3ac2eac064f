/**
 * `switchboard cli`: an interactive console over the event socket in the manner of FreeSWITCH's fs_cli
 * (compatibility source: libs/esl/fs_cli.c main, msg_thread_run, process_command; specs/esl.md §8.5).
 * Connects (with `retry`, up to 121 attempts a second apart), then either runs one command
 * (`execute`: `api <cmd>` with `console_execute: true`, prints the body, exit 0) or reads lines with
 * node:readline: the prompt is `switchboard@<switchname>> `, `log <level>` is sent first unless quiet,
 * events and log lines are printed as they arrive, history is kept in a bounded file. Ctrl-D on an
 * empty line, `/exit`, or the end of piped input end it with 0; Ctrl-C warns (or, with `interrupt`
 * or without a terminal, ends it with 1); the server closing ends it with 0 after `Disconnected.`.
 */
import { createInterface, clearLine, cursorTo, type Interface } from 'node:readline';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { errorMessage } from '../../../lib/index.ts';
import { EslClient } from './esl-client.ts';
import { EslClientError } from './esl-client-error.ts';
import { CONSOLE_HELP, parseConsoleLine } from './console-command.ts';
import { formatApiReply, formatCommandReply, formatFrame, type OutputState } from './console-output.ts';
import { addToHistory, loadHistory, saveHistory, HISTORY_SIZE } from './console-history.ts';
import { contentType, frameHeader } from './frame-reader.ts';

export interface ConsoleOptions {
  host: string;
  port: number;
  password: string;
  /** `user@domain` for userauth. */
  user?: string;
  /** Run this one API command and exit. */
  execute?: string;
  /** Argument of the initial `log` command ('' -> the server's default, 7). */
  logLevel?: string;
  /** No initial `log` command. */
  quiet?: boolean;
  /** Keep trying to connect (121 attempts, one a second). */
  retry?: boolean;
  /** Reply timeout of API commands in ms (0: none). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  color?: boolean;
  /** Initial /uuid log filter. */
  uuid?: string;
  /** Ctrl-C ends the console instead of warning. */
  interrupt?: boolean;
  historyFile?: string;
}

export interface ConsoleIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  error: NodeJS.WritableStream;
  /** Line editing and history keys (stdin and stdout are a terminal). */
  terminal: boolean;
  /** Waits between connection attempts (default a real 1 s sleep). */
  sleep?: (ms: number) => Promise<void>;
  /** Process signals the console listens to when there is no terminal. */
  signals?: NodeJS.EventEmitter;
}

const API_HEADERS = [['console_execute', 'true']] as const;

export async function runConsole(options: ConsoleOptions, io: ConsoleIo): Promise<number> {
  const client = await connectWithRetry(options, io);
  if (!client) return 1;
  if (options.execute !== undefined) return executeOnce(client, options.execute, options.timeoutMs ?? 0, io);
  return interactive(client, options, io);
}

async function connectWithRetry(options: ConsoleOptions, io: ConsoleIo): Promise<EslClient | undefined> {
  const attempts = options.retry ? 121 : 1;
  const sleep = io.sleep ?? ((ms: number) => sleepMs(ms).then(() => undefined));
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await EslClient.connect({
        host: options.host, port: options.port, password: options.password,
        ...(options.user === undefined ? {} : { user: options.user }),
        connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      });
    } catch (err) {
      io.error.write(`Error Connecting [${errorMessage(err)}]\n`);
      // A refused password does not get better by retrying.
      if (attempt === attempts || (err instanceof EslClientError && err.code === 'ESL_CLIENT_AUTH')) return undefined;
      io.error.write('Retrying\n');
      await sleep(1000);
    }
  }
  return undefined;
}

async function executeOnce(client: EslClient, command: string, timeoutMs: number, io: ConsoleIo): Promise<number> {
  try {
    const reply = await client.api(command, timeoutMs, API_HEADERS);
    io.output.write(formatApiReply(reply));
    return 0;
  } catch (err) {
    const timedOut = err instanceof EslClientError && err.code === 'ESL_CLIENT_TIMEOUT';
    io.error.write(timedOut ? 'Request timed out.\n' : `Error: ${errorMessage(err)}\n`);
    return timedOut ? 2 : 1;
  } finally {
    client.close();
  }
}

async function interactive(client: EslClient, options: ConsoleOptions, io: ConsoleIo): Promise<number> {
  const state: OutputState = { color: options.color ?? io.terminal, uuidFilter: options.uuid, logFilter: undefined };
  const timeoutMs = options.timeoutMs ?? 0;
  const name = await switchName(client, options.host);
  const prompt = `switchboard@${name}> `;
  let history = options.historyFile === undefined ? [] : loadHistory(options.historyFile);
  /** The line reader, once the console is ready for input. */
  const ui: { rl?: Interface } = {};
  let finished = false;
  let busy = false;
  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => { resolveDone = resolve; });

  /** Prints text above the prompt line, then puts the prompt (and what was typed) back. */
  const print = (text: string, stream: NodeJS.WritableStream = io.output): void => {
    if (text === '') return;
    if (io.terminal && ui.rl) {
      clearLine(io.output, 0);
      cursorTo(io.output, 0);
      stream.write(text);
      if (!finished && !busy) ui.rl.prompt(true);
    } else {
      stream.write(text);
    }
  };

  const onSignal = (): void => finish(1, 'Interrupted.\n');
  const finish = (code: number, message = ''): void => {
    if (finished) return;
    finished = true;
    if (message !== '') io.error.write(message);
    io.signals?.off('SIGINT', onSignal);
    io.signals?.off('SIGTERM', onSignal);
    if (options.historyFile !== undefined) {
      const failed = saveHistory(options.historyFile, history, HISTORY_SIZE);
      if (failed !== undefined) io.error.write(`history not saved: ${failed}\n`);
    }
    ui.rl?.close();
    client.close();
    resolveDone(code);
  };

  client.events.on('frame', (frame) => {
    if (finished || contentType(frame) === 'text/disconnect-notice') return;
    const text = formatFrame(frame, state);
    if (text !== undefined) print(text);
  });
  client.events.on('close', () => finish(0, finished ? '' : 'Disconnected.\n'));
  if (client.closed) {
    finish(0, 'Disconnected.\n');
    return done;
  }

  io.output.write(`Switchboard console (event socket ${options.host}:${options.port}).\nType /help <enter> to see a list of commands\n\n`);
  if (!options.quiet) {
    try {
      io.output.write(formatCommandReply(await client.send(`log ${options.logLevel ?? ''}`, timeoutMs)));
    } catch (err) {
      finish(0, `Error: ${errorMessage(err)}\n`);
      return done;
    }
  }
  if (finished) return done;

  const rl = createInterface({
    input: io.input, output: io.output, terminal: io.terminal, prompt,
    historySize: HISTORY_SIZE, removeHistoryDuplicates: true, history: [...history].reverse(),
  });
  ui.rl = rl;
  let chain = Promise.resolve();

  const run = async (line: string): Promise<void> => {
    if (finished) return;
    const action = parseConsoleLine(line);
    if (action.kind !== 'empty') history = addToHistory(history, line.trim());
    busy = true;
    try {
      switch (action.kind) {
        case 'empty': break;
        case 'help': io.output.write(CONSOLE_HELP); break;
        case 'exit': finish(0, 'Goodbye!\n'); return;
        case 'uuid':
          state.uuidFilter = action.uuid;
          io.output.write(`UUID filtering ${action.uuid === undefined ? 'disabled' : 'enabled'}\n`);
          break;
        case 'logfilter':
          state.logFilter = action.text;
          io.output.write(`Logfilter ${action.text === undefined ? 'disabled' : 'enabled'}\n`);
          break;
        case 'debug':
          io.output.write(action.level === undefined ? 'console debug level must be 0 - 7\n' : `console debug level set to ${action.level}\n`);
          break;
        case 'unknown': io.output.write(`Unknown command [${action.text}]\n`); break;
        case 'send': io.output.write(formatCommandReply(await client.send(action.command, timeoutMs))); break;
        case 'api':
          if (action.alsoLog !== undefined) io.output.write(formatCommandReply(await client.send(`log ${action.alsoLog}`, timeoutMs)));
          io.output.write(formatApiReply(await client.api(action.command, timeoutMs, API_HEADERS)));
          break;
      }
    } catch (err) {
      const timedOut = err instanceof EslClientError && err.code === 'ESL_CLIENT_TIMEOUT';
      finish(timedOut ? 2 : 0, timedOut ? 'Request timed out.\n' : 'Socket interrupted, bye!\n');
      return;
    } finally {
      busy = false;
    }
    if (!finished) rl.prompt();
  };

  rl.on('line', (line) => { chain = chain.then(() => run(line)); });
  rl.on('close', () => {
    chain = chain.then(() => {
      if (!finished && io.terminal) io.output.write('/exit\n\n');
      finish(0);
    });
  });
  rl.on('SIGINT', () => {
    if (options.interrupt) {
      finish(1, '\nInterrupted.\n');
      return;
    }
    print('\nType control-D or /exit or /quit or /bye to exit.\n\n');
    rl.write(null, { ctrl: true, name: 'u' });
  });
  if (!io.terminal) {
    io.signals?.on('SIGINT', onSignal);
    io.signals?.on('SIGTERM', onSignal);
  }
  rl.prompt();
  return done;
}

/** The server's switchname for the prompt (fs_cli asks `api switchname`); the host when it has none. */
async function switchName(client: EslClient, host: string): Promise<string> {
  try {
    const reply = await client.api('switchname', 5000);
    const body = (reply.body ?? '').trim();
    return body === '' || body.startsWith('-ERR') || frameHeader(reply, 'Reply-Text')?.startsWith('-') ? host : body;
  } catch {
    return host;
  }
}
