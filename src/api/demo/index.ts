/**
 * The built-in demo dialplan: `echo`, `tone`, `record`, `conf-<name>` and the demo users' numbers,
 * registered on the core router so a fresh server can be called at once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Switch } from '../../core/index.ts';
import { conferenceApp, echoApp, recordApp, toneApp, userApp } from './demo-apps.ts';

export { DEMO_BEEP, DEMO_TONE, RECORD_LIMIT_MS } from './demo-apps.ts';

export interface DemoDialplanOptions {
  /** Recordings go to `<dataDir>/recordings`. */
  dataDir: string;
  /** Numbers that ring the registered user of the same name (default 1000-1003). */
  users?: readonly string[];
}

const CONFERENCE = /^conf-([A-Za-z0-9_.-]{1,64})$/;

/** Registers the demo routes; returns the function that removes them. */
export function mountDemoDialplan(sw: Switch, options: DemoDialplanOptions): () => void {
  const recordings = join(options.dataDir, 'recordings');
  mkdirSync(recordings, { recursive: true });
  const r = sw.router;
  const offs = [
    r.register({ name: 'demo-echo', number: 'echo' }, echoApp),
    r.register({ name: 'demo-tone', number: 'tone' }, toneApp),
    r.register({ name: 'demo-record', number: 'record' }, (ch, ctx) => recordApp(ch, ctx, recordings)),
    r.register({ name: 'demo-conference', pattern: CONFERENCE }, (ch, ctx) => conferenceApp(ch, ctx, sw, ctx.captures[1] ?? 'default')),
    ...(options.users ?? ['1000', '1001', '1002', '1003']).map((user) =>
      r.register({ name: `demo-user-${user}`, number: user }, (ch, ctx) => userApp(ch, ctx, sw, user)),
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}
