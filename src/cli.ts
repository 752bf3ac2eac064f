#!/usr/bin/env node
/**
 * The `switchboard` command line: `switchboard start` runs the server on its embedded defaults;
 * `switchboard cli` is an fs_cli-style console over the event socket.
 */
import { Command } from 'commander';
import { homedir } from 'node:os';
import { startServer } from './main.ts';
import { historyFileFor, runConsole } from './api/index.ts';

const program = new Command();
program.name('switchboard').description('Voice platform: SIP, media and application APIs in one server');

program
  .command('start')
  .description('start the server (no configuration needed: SIP on 127.0.0.1:5060 over UDP and TCP)')
  .option('--config <file>', 'JSON configuration file')
  .option('--sip <host:port>', 'SIP listen address for UDP and TCP (default 127.0.0.1:5060)')
  .option('--data <dir>', 'data directory (default ./data)')
  .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent')
  .option('--rtp-ports <low-high>', 'RTP port range (default 20000-29999)')
  .option('--media-workers <n>', 'media worker threads, or auto: one per core (default auto; 0: media on the main thread)')
  .option('--esl <host:port>', 'event socket (FreeSWITCH ESL) listen address (default 127.0.0.1:8021)')
  .option('--esl-password <password>', 'event socket password (default ClueCon; required off loopback)')
  .option('--http <host:port>', 'HTTP listen address of the jambonz-compatible REST API (default 127.0.0.1:3000)')
  .option('--account-sid <uuid>', 'sid of the default jambonz account (default: created at first start)')
  .option('--api-key <key>', 'REST API key of the default account (default: created at first start)')
  .action(async (opts: {
    config?: string; sip?: string; data?: string; logLevel?: string; rtpPorts?: string; mediaWorkers?: string; esl?: string; eslPassword?: string;
    http?: string; accountSid?: string; apiKey?: string;
  }) => {
    try {
      const server = await startServer({
        configFile: opts.config,
        flags: {
          sip: opts.sip, dataDir: opts.data, logLevel: opts.logLevel, rtpPorts: opts.rtpPorts, mediaWorkers: opts.mediaWorkers, esl: opts.esl, eslPassword: opts.eslPassword,
          http: opts.http, accountSid: opts.accountSid, apiKey: opts.apiKey,
        },
      });
      const stop = (signal: string) => {
        server.log.info({ signal }, 'shutting down');
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    } catch (err) {
      console.error(`switchboard: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
  });

program
  .command('cli')
  .description('console over the event socket, as fs_cli: API commands, /event, /log, /help; -x runs one command')
  .option('-H, --host <host>', 'event socket host', '127.0.0.1')
  .option('-P, --port <port>', 'event socket port', '8021')
  .option('-p, --password <password>', 'event socket password', 'ClueCon')
  .option('-u, --user <user@domain>', 'authenticate with userauth as this user')
  .option('-x, --execute <command>', 'run one API command, print its output and exit')
  .option('-l, --log-level <level>', 'level of the server log lines shown (log <level>; default 7)')
  .option('-q, --quiet', 'show no server log lines')
  .option('-r, --retry', 'keep trying to connect (121 attempts, one a second)')
  .option('-t, --timeout <ms>', 'reply timeout of API commands in milliseconds')
  .option('-T, --connect-timeout <ms>', 'connect and auth timeout in milliseconds (default 5000)')
  .option('-s, --set-log-uuid <uuid>', 'show only log lines of this call (and those of no call)')
  .option('-n, --no-color', 'no colors in log lines')
  .option('-i, --interrupt', 'Ctrl-C exits instead of warning')
  .option('--data <dir>', 'keep the history in <dir>/cli_history (default ~/.switchboard_cli_history)')
  .action(async (opts: {
    host: string; port: string; password: string; user?: string; execute?: string; logLevel?: string; quiet?: boolean; retry?: boolean;
    timeout?: string; connectTimeout?: string; setLogUuid?: string; color: boolean; interrupt?: boolean; data?: string;
  }) => {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      console.error('switchboard cli: port must be in range 1 - 65535');
      process.exit(1);
    }
    const ms = (v: string | undefined): number | undefined => (v === undefined || !/^\d+$/.test(v) ? undefined : Number(v));
    const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
    const timeoutMs = ms(opts.timeout);
    const connectTimeoutMs = ms(opts.connectTimeout);
    const code = await runConsole({
      host: opts.host, port, password: opts.password, color: opts.color && terminal,
      ...(opts.user === undefined ? {} : { user: opts.user }),
      ...(opts.execute === undefined ? {} : { execute: opts.execute }),
      ...(opts.logLevel === undefined ? {} : { logLevel: opts.logLevel }),
      ...(opts.setLogUuid === undefined ? {} : { uuid: opts.setLogUuid }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
      quiet: opts.quiet === true, retry: opts.retry === true, interrupt: opts.interrupt === true,
      historyFile: historyFileFor(opts.data, homedir()),
    }, { input: process.stdin, output: process.stdout, error: process.stderr, terminal, signals: process });
    process.exit(code);
  });

await program.parseAsync(process.argv);
