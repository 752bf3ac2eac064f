/**
 * Loads configuration from, in increasing precedence: defaults, a JSON file (`--config FILE`),
 * environment variables (SWITCHBOARD_*), and command-line flags.
 */
import { readFileSync } from 'node:fs';
import { SwitchboardError } from '../lib/index.ts';
import { configSchema, type Config } from './schema.ts';

export class ConfigError extends SwitchboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

export interface ConfigOverrides {
  sip?: string;
  dataDir?: string;
  logLevel?: string;
  /** RTP port range "LOW-HIGH". */
  rtpPorts?: string;
  /** Event socket listen address "HOST:PORT". */
  esl?: string;
  eslPassword?: string;
  /** Media worker threads ("0": media on the main thread, "auto": one per core). */
  mediaWorkers?: string;
  /** HTTP listen address "HOST:PORT" (jambonz-compatible REST API). */
  http?: string;
  /** The default jambonz account's sid and API key. */
  accountSid?: string;
  apiKey?: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function fromEnv(env: NodeJS.ProcessEnv): ConfigOverrides {
  return {
    sip: env['SWITCHBOARD_SIP'], dataDir: env['SWITCHBOARD_DATA'], logLevel: env['SWITCHBOARD_LOG_LEVEL'],
    rtpPorts: env['SWITCHBOARD_RTP_PORTS'], esl: env['SWITCHBOARD_ESL'], eslPassword: env['SWITCHBOARD_ESL_PASSWORD'],
    mediaWorkers: env['SWITCHBOARD_MEDIA_WORKERS'],
    http: env['SWITCHBOARD_HTTP'], accountSid: env['SWITCHBOARD_ACCOUNT_SID'], apiKey: env['SWITCHBOARD_API_KEY'],
  };
}

function overridesToJson(o: ConfigOverrides): Json {
  return {
    sip: o.sip === undefined ? undefined : { listen: o.sip },
    dataDir: o.dataDir,
    log: o.logLevel === undefined ? undefined : { level: o.logLevel },
    media: o.rtpPorts === undefined && o.mediaWorkers === undefined ? undefined : {
      rtpPorts: o.rtpPorts,
      workers: o.mediaWorkers === undefined || o.mediaWorkers === 'auto' ? o.mediaWorkers : Number(o.mediaWorkers),
    },
    esl: o.esl === undefined && o.eslPassword === undefined ? undefined : { listen: o.esl, password: o.eslPassword },
    http: o.http === undefined ? undefined : { listen: o.http },
    jambonz: o.accountSid === undefined && o.apiKey === undefined ? undefined : { accountSid: o.accountSid, apiKey: o.apiKey },
  };
}

export function loadConfig(opts: { file?: string; flags?: ConfigOverrides; env?: NodeJS.ProcessEnv } = {}): Config {
  let raw: Json = {};
  if (opts.file) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read config file ${opts.file}`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`config file ${opts.file} is not valid JSON`, { cause: err });
    }
    if (!isObject(parsed)) throw new ConfigError(`config file ${opts.file} must hold a JSON object`);
    raw = parsed;
  }
  raw = deepMerge(raw, overridesToJson(fromEnv(opts.env ?? process.env)));
  raw = deepMerge(raw, overridesToJson(opts.flags ?? {}));
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${detail}`);
  }
  return result.data;
}
