/**
 * The built-in default application: what a caller reaches when no application and no demo number
 * claims the called number. It is written as any jambonz application is (specs/jambonz.md §3): each hook
 * answers a verb array — a greeting in synthesized speech, a DTMF menu (`gather`), `sip:refer` to the
 * demo dialplan's `echo`, `record` and `conf-demo` destinations, and the digits read back with `say`.
 * Pure: the reply depends only on the hook, its payload and the call's small state.
 */

/** The application's own state for one call. */
export interface DemoIvrState {
  /** Menu prompts that timed out in a row. */
  silentMenus: number;
  /** The server's SIP URI as the caller dialed it (`sip:<anything>@host:port`), from session:new. */
  serverUri: string | undefined;
}

export const DEMO_MENU_TEXT =
  'Press 1 for an echo test, 2 to record a message and hear it back, 3 to join the demo conference, '
  + 'or 4 to hear your digits read back.';

const GREETING = 'Welcome to Switchboard. This number has no application yet, so here is the demo.';
const MAX_SILENT_MENUS = 2;

/** The demo destinations the menu transfers to (see the demo dialplan). */
export const DEMO_DESTINATIONS: Readonly<Record<string, { user: string; intro: string }>> = {
  '1': { user: 'echo', intro: 'Echo test. You will hear yourself.' },
  '2': { user: 'record', intro: 'After the beep, record your message, then press pound.' },
  '3': { user: 'conf-demo', intro: 'Joining the demo conference.' },
};

type Verb = Record<string, unknown>;

export function newDemoIvrState(): DemoIvrState {
  return { silentMenus: 0, serverUri: undefined };
}

function menu(intro?: string): Verb[] {
  return [
    { verb: 'gather', input: ['digits'], numDigits: 1, timeout: 6, actionHook: '/menu', say: { text: intro ? `${intro} ${DEMO_MENU_TEXT}` : DEMO_MENU_TEXT } },
  ];
}

/** `sip:<user>@host:port` of the server, from the Request-URI the caller used. */
export function demoTarget(serverUri: string | undefined, user: string): string {
  const m = serverUri ? /^(sips?):(?:[^@;>]*@)?([^;>?]+)/i.exec(serverUri) : null;
  return m ? `${m[1]!.toLowerCase()}:${user}@${m[2]}` : user;
}

/** Digits spoken one by one ("1 2 3 star pound"). */
export function spokenDigits(digits: string): string {
  const names: Record<string, string> = { '*': 'star', '#': 'pound' };
  return [...digits].map((d) => names[d] ?? d).join(' ');
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The application's reply to one hook request. */
export function demoIvrReply(state: DemoIvrState, type: string, hook: string, payload: Record<string, unknown>): Verb[] {
  if (type === 'session:new' || type === 'session:redirect') {
    const sip = payload['sip'] as Record<string, unknown> | undefined;
    const local = str(payload['local_sip_address']);
    state.serverUri = str(sip?.['uri']) || (local ? `sip:demo@${local}` : undefined);
    return [{ verb: 'answer' }, { verb: 'pause', length: 0.3 }, ...menu(GREETING)];
  }
  const path = hook.replace(/^[a-z]+:\/\/[^/]*/i, '').split('?')[0];
  if (path === '/menu') {
    const digits = str(payload['digits']);
    if (payload['reason'] !== 'dtmfDetected' || digits === '') {
      state.silentMenus++;
      if (state.silentMenus >= MAX_SILENT_MENUS) return [{ verb: 'say', text: 'Goodbye.' }, { verb: 'hangup' }];
      return menu();
    }
    state.silentMenus = 0;
    const dest = DEMO_DESTINATIONS[digits];
    if (dest) {
      return [
        { verb: 'say', text: dest.intro },
        { verb: 'sip:refer', referTo: demoTarget(state.serverUri, dest.user), actionHook: `/transfer?to=${dest.user}` },
      ];
    }
    if (digits === '4') {
      return [{
        verb: 'gather', input: ['digits'], finishOnKey: '#', maxDigits: 20, timeout: 8, actionHook: '/digits',
        say: { text: 'Enter some digits, then press pound.' },
      }];
    }
    return menu('Sorry, that is not an option.');
  }
  if (path === '/digits') {
    const digits = str(payload['digits']);
    return digits ? menu(`You entered ${spokenDigits(digits)}.`) : menu('You entered nothing.');
  }
  if (path === '/transfer') {
    if (payload['refer_status'] === 202) return [{ verb: 'hangup' }];
    const user = /to=([^&]+)/.exec(hook)?.[1] ?? 'echo';
    return menu(`Your phone did not take the transfer. Call ${user} at this server directly.`);
  }
  return [];
}
