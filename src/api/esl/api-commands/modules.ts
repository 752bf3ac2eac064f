/**
 * API `reloadxml` (`+OK [Success]`, fires RELOADXML; there is no XML to reload), `module_exists <mod>`
 * (`true` / `false` for the FreeSWITCH modules this server stands in for), `load` / `reload` / `unload`
 * (answered as for a module already loaded) and `user_exists id <user> <domain>` (`true` / `false`)
 * (specs/esl.md §5).
 */
import type { ApiCommand } from './api-command.ts';

export const MODULES: ReadonlySet<string> = new Set([
  'mod_event_socket', 'mod_commands', 'mod_dptools', 'mod_sofia', 'mod_conference', 'mod_tone_stream', 'mod_sndfile',
  'mod_native_file', 'mod_dialplan_xml', 'mod_loopback', 'mod_console', 'mod_logfile', 'mod_hash', 'mod_expr', 'mod_say_en',
  'mod_pcmu', 'mod_g711', 'mod_g722', 'mod_opus', 'mod_spandsp', 'mod_flite', 'mod_tts_commandline',
]);

export const reloadxml: ApiCommand = {
  name: 'reloadxml',
  usage: '',
  exec(_args, ctx) {
    ctx.hub.fire({ name: 'RELOADXML', origin: ['switchboard', 'reloadxml', 0], headers: [] });
    return '+OK [Success]\n';
  },
};

export const moduleExists: ApiCommand = {
  name: 'module_exists',
  usage: '<module>',
  exec(args) {
    return MODULES.has(args.trim()) ? 'true' : 'false';
  },
};

export const userExists: ApiCommand = {
  name: 'user_exists',
  usage: '<key> <user> <domain>',
  exec(args, ctx) {
    const [key, user, domain] = args.trim().split(/\s+/);
    if (key === undefined || user === undefined || domain === undefined) return `-USAGE: ${this.usage}\n`;
    if (key !== 'id') return 'false';
    return ctx.userExists(user, domain) ? 'true' : 'false';
  },
};

/** `load <mod>` / `reload [-f] <mod>` / `unload [-f] <mod>`: nothing is loaded at run time; known modules answer as already there. */
function moduleCommand(name: string, ok: string): ApiCommand {
  return {
    name,
    usage: '[-f] <mod_name>',
    exec(args) {
      const mod = args.trim().split(/\s+/).filter((w) => w !== '-f')[0];
      if (mod === undefined || mod === '') return `-USAGE: ${this.usage}\n`;
      return MODULES.has(mod) ? ok : '-ERR [module load file routine returned an error]\n';
    },
  };
}

export const load = moduleCommand('load', '+OK Reloading XML\n+OK\n');
export const reload = moduleCommand('reload', '+OK Reloading XML\n+OK\n');
export const unload = moduleCommand('unload', '+OK\n');
