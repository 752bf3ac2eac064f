#!/usr/bin/env node
/**
 * The `switchboard` command line: `switchboard start` runs the server on its embedded defaults.
 */
import { Command } from 'commander';
import { startServer } from './main.ts';

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

await program.parseAsync(process.argv);
