/**
 * For the apps' unit tests: an AppRunner holding the dialplan apps over a test switch (the test passes
 * the core's harness and its driver and media doubles), an event hub whose events are kept, and calls.
 */
import { silentLogger } from '../../../lib/index.ts';
import type { Channel, ChannelDriver, ChannelMedia, Switch } from '../../../core/index.ts';
import { AppRunner } from '../apps.ts';
import type { EslEvent } from '../esl-event.ts';
import { EventHub } from '../event-hub.ts';
import { MORE_APPS } from './index.ts';

/** What the kit needs of the core's test harness. */
export interface HarnessLike {
  sw: Switch;
  flush(): Promise<void>;
  tick(ms: number): Promise<void>;
  finish(): Promise<void>;
}

export interface Kit<H extends HarnessLike, D extends ChannelDriver, M extends ChannelMedia> {
  h: H;
  runner: AppRunner;
  hub: EventHub;
  events: EslEvent[];
  /** An inbound leg with a new driver and media (answered when asked). */
  call(options?: { answered?: boolean }): Promise<{ ch: Channel; driver: D; media: M }>;
  /** Hangs up what is left, closes the runner and hub, and runs the harness's end check. */
  done(): Promise<void>;
}

export function kit<H extends HarnessLike, D extends ChannelDriver, M extends ChannelMedia>(
  h: H, newDriver: () => D, newMedia: () => M,
): Kit<H, D, M> {
  const hub = new EventHub(h.sw, {
    identity: { coreUuid: 'core', hostname: 'pbx', switchname: 'pbx', ipv4: '127.0.0.1', ipv6: '::1' },
    log: silentLogger(), heartbeatMs: 0, version: 'test', maxSessions: 10,
  });
  const events: EslEvent[] = [];
  hub.listen((e) => { events.push(e); });
  const runner = new AppRunner(h.sw, hub, silentLogger());
  for (const [name, fn] of Object.entries(MORE_APPS)) runner.define(name, fn);
  let n = 0;
  return {
    h, runner, hub, events,
    async call(options = {}) {
      n += 1;
      const driver = newDriver();
      const media = newMedia();
      const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver, name: `sip/100${n}@10.0.0.5`, caller: { number: `100${n}` }, destination: '9000' });
      ch.attachMedia(media);
      if (options.answered === true) await ch.answer();
      return { ch, driver, media };
    },
    async done() {
      for (const c of [...h.sw.channels()]) await c.hangup();
      await h.flush();
      runner.close();
      hub.close();
      await h.finish();
    },
  };
}
