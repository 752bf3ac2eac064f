/**
 * A call runtime on virtual time for tests: the core harness, a session manager with scripted
 * requestors, a fake synthesizer and recognizer, and helpers to place an inbound call and wait.
 */
import { createHarness, FakeDriver, FakeMedia, type Harness } from '../../src/core/testing/index.ts';
import type { Channel } from '../../src/core/index.ts';
import { silentLogger } from '../../src/lib/index.ts';
import type { AppCatalog, JambonzAccount, JambonzApplication } from '../../src/api/jambonz/contract.ts';
import { createSessionManager, type JambonzSessionManager, type SessionManagerOptions } from '../../src/api/jambonz/runtime/index.ts';
import type { RecognitionListener, Recognizer, Synthesizer } from '../../src/api/jambonz/runtime/index.ts';
import { fakeRequestors, type FakeRequestor, type Script } from '../../src/api/jambonz/runtime/testing/index.ts';

export const ACCOUNT: JambonzAccount = { account_sid: 'acc-1', name: 'default', webhook_secret: 'secret' };

export function application(overrides: Partial<JambonzApplication> = {}): JambonzApplication {
  return {
    application_sid: 'app-1', account_sid: ACCOUNT.account_sid, name: 'test', call_hook: 'http://app.test/call',
    call_status_hook: 'http://app.test/status', ...overrides,
  };
}

export const catalog: AppCatalog = {
  account: (sid) => (sid === ACCOUNT.account_sid ? ACCOUNT : undefined),
  application: () => undefined,
  defaultAccount: () => ACCOUNT,
};

/** A synthesizer whose audio is the source `tts:<text>`. */
export const fakeTts: Synthesizer & { texts: string[] } = {
  texts: [],
  async synthesize(text) {
    fakeTts.texts.push(text);
    return { source: `tts:${text}`, vendor: 'fake', language: 'en-US', servedFromCache: false };
  },
};

export class FakeRecognizer implements Recognizer {
  listeners: RecognitionListener[] = [];
  closed = 0;
  start(_channel: Channel, _settings: unknown, listener: RecognitionListener): { close(): void } {
    this.listeners.push(listener);
    return { close: () => { this.closed++; } };
  }
  say(transcript: string, isFinal = true): void {
    for (const l of this.listeners) {
      l.transcript({
        language_code: 'en-US', channel_tag: 1, is_final: isFinal, alternatives: [{ confidence: 0.9, transcript }], vendor: { name: 'fake' },
      });
    }
  }
}

export interface Scenario {
  h: Harness;
  manager: JambonzSessionManager;
  requestors: FakeRequestor[];
  /** The first requestor (the call hook's). */
  app(): FakeRequestor;
  call(app?: JambonzApplication): { channel: Channel; driver: FakeDriver; media: FakeMedia };
  /** Finishes the oldest unfinished playback. */
  finishPlay(media: FakeMedia, outcome?: { durationMs?: number }): string | undefined;
  done(): Promise<void>;
}

export function scenario(script: Script, options: Partial<SessionManagerOptions> = {}): Scenario {
  const h = createHarness();
  const { factory, requestors } = fakeRequestors(script);
  const manager = createSessionManager({
    sw: h.sw, catalog, log: silentLogger(), clock: h.clock, requestorFactory: factory, tts: fakeTts, ...options,
  });
  return {
    h, manager, requestors,
    app: () => {
      const r = requestors[0];
      if (!r) throw new Error('no requestor yet');
      return r;
    },
    call(app = application()) {
      const driver = new FakeDriver();
      const media = new FakeMedia('caller');
      const channel = h.sw.createChannel({
        direction: 'inbound', endpoint: 'fake', driver, media,
        caller: { number: '+15083084809', name: 'Alice' }, callee: { number: '16174000000' }, destination: '16174000000',
        variables: { sip_call_id: 'call-id-1@test', sip_network_ip: '54.172.60.3', sip_req_uri: 'sip:16174000000@10.0.13.72:5070' },
      });
      manager.startInbound(channel, app, ACCOUNT);
      return { channel, driver, media };
    },
    finishPlay(media, outcome = {}) {
      const p = media.plays.find((x) => !x.settled);
      p?.finish(outcome);
      return p?.spec;
    },
    async done() {
      await manager.close();
      await h.finish();
    },
  };
}
