/**
 * sipp (Debian `sip-tester`) as the far end of event-socket tests: a UAS that answers the calls a client
 * originates (test/interop/scenarios/esl-answer-uas.xml: the built-in `uas` without its 4 s wait after
 * the last BYE), and the built-in `uac` that calls into the server and hangs up after a pause. Both are
 * bounded by a call count and a hard timeout (runSipp).
 */
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';
import { runSipp, sippAvailable, type SippResult } from './sipp.ts';
import { sleep } from './wait.ts';

export function requireSipp(): void {
  if (!sippAvailable()) throw new Error('sipp is not installed (Debian package sip-tester); run .ci/run or apt-get install sip-tester');
}

export interface SippUas {
  port: number;
  /** A dial string for originate: `sofia/internal/<user>@127.0.0.1:<port>`. */
  dialString(user?: string): string;
  /** Resolves when sipp has answered and ended `calls` calls. */
  done: Promise<SippResult>;
}

const ANSWER_SCENARIO = fileURLToPath(new URL('../interop/scenarios/esl-answer-uas.xml', import.meta.url));

/** Starts a sipp UAS for exactly `calls` calls; it must see them all within `timeoutMs`. */
export async function startSippUas(calls: number, timeoutMs = 30_000): Promise<SippUas> {
  const port = await freePort();
  const done = runSipp({
    args: ['-sf', ANSWER_SCENARIO, '-i', '127.0.0.1', '-p', String(port), '-mp', String(await freePort('127.0.0.1', 4)), '-m', String(calls)],
    timeoutMs,
  });
  // sipp needs a moment to bind its socket.
  await sleep(300);
  return { port, dialString: (user = 'service') => `sofia/internal/${user}@127.0.0.1:${port}`, done };
}

/** One call from `sipp -sn uac` to `number` on the server, hung up by sipp `holdMs` after its ACK. */
export async function sippCall(serverPort: number, number: string, holdMs: number, timeoutMs = 20_000): Promise<SippResult> {
  return runSipp({
    args: ['-sn', 'uac', `127.0.0.1:${serverPort}`, '-s', number, '-i', '127.0.0.1', '-p', String(await freePort()),
      '-mp', String(await freePort('127.0.0.1', 4)), '-d', String(holdMs), '-m', '1'],
    timeoutMs,
  });
}
