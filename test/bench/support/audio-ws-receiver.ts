/**
 * The receiving end of the listen benchmark, run as its own process (audio-receiver-process.ts starts
 * it) so counting frames never competes with the benchmark's event loop: a WebSocket server on
 * loopback speaking the listen/stream audio protocol (specs/jambonz.md §3.C: either subprotocol, a
 * first text frame of metadata, then binary L16 frames). Per connection it checks the metadata frame
 * and feeds each binary frame's arrival time to StreamGaps; its own event-loop delay is reported too,
 * so a slow receiver is not mistaken for gaps in what the server sent.
 *
 * Messages from the parent (IPC): `window` (the measuring window, wall-clock ms), `report`, `close`.
 * To the parent: `listening` {port}, `report` {...}.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { StreamGaps } from './stream-gaps.ts';

const parentMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('window'), fromMs: z.number(), toMs: z.number(), bytesPerMs: z.number().positive(),
    gapMs: z.number().positive(), toleranceMs: z.number().min(0), sampleRate: z.number().int().positive(),
  }),
  z.object({ type: z.literal('report') }),
  z.object({ type: z.literal('close') }),
]);

const PROTOCOLS = ['audio.jambonz.org', 'audio.drachtio.org'];
const now = (): number => performance.timeOrigin + performance.now();
const send = (m: object): void => {
  process.send?.(m);
};

let gaps: StreamGaps | undefined;
let sampleRate = 8000;
/** Counted since the last `window` message (each run sets a new window). */
let connections = 0;
let nextId = 0;
let open = 0;
const metadata = { ok: 0, bad: 0, missing: 0 };
let textFrames = 0;
const loop = monitorEventLoopDelay({ resolution: 10 });
let cpuAtWindow = process.cpuUsage();

const wss = new WebSocketServer({
  host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1024 * 1024,
  handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

function checkMetadata(text: string): boolean {
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    return m['sampleRate'] === sampleRate && m['mixType'] === 'mono' && typeof m['callSid'] === 'string';
  } catch {
    return false;
  }
}

wss.on('connection', (ws: WebSocket) => {
  const id = String(++nextId);
  connections++;
  open++;
  gaps?.open(id, now());
  let first = true;
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      textFrames++;
      if (first) {
        if (checkMetadata(data.toString())) metadata.ok++;
        else metadata.bad++;
      }
      first = false;
      return;
    }
    if (first) {
      metadata.missing++;
      first = false;
    }
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    gaps?.frame(id, now(), bytes);
  });
  ws.on('close', () => {
    open--;
    gaps?.close(id, now());
  });
  ws.on('error', () => ws.terminate());
});
wss.on('error', (err) => {
  process.stderr.write(`audio receiver: ${err.message}\n`);
  process.exit(1);
});
wss.on('listening', () => {
  const addr = wss.address();
  send({ type: 'listening', port: typeof addr === 'object' && addr !== null ? addr.port : 0 });
});

process.on('message', (raw: unknown) => {
  const parsed = parentMessage.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`audio receiver: unusable message from the parent: ${parsed.error.message}\n`);
    return;
  }
  const m = parsed.data;
  if (m.type === 'window') {
    sampleRate = m.sampleRate;
    gaps = new StreamGaps(m);
    connections = 0;
    textFrames = 0;
    Object.assign(metadata, { ok: 0, bad: 0, missing: 0 });
    loop.reset();
    cpuAtWindow = process.cpuUsage();
    loop.enable();
  } else if (m.type === 'report') {
    loop.disable();
    const cpu = process.cpuUsage(cpuAtWindow);
    send({
      type: 'report', gaps: gaps?.report(), connections, open, metadata, textFrames,
      loopDelayMs: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }, cpuS: (cpu.user + cpu.system) / 1e6,
    });
  } else {
    for (const c of wss.clients) c.terminate();
    wss.close(() => process.exit(0));
  }
});
// The parent going away ends the receiver too.
process.on('disconnect', () => process.exit(0));
