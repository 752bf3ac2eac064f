import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, type SwitchEvent, type SwitchEvents } from './index.ts';
import pino from 'pino';

function recordingLogger(): { log: pino.Logger; lines: { msg: string; event?: string }[] } {
  const lines: { msg: string; event?: string }[] = [];
  const log = pino({ level: 'warn' }, { write: (s: string) => { lines.push(JSON.parse(s) as { msg: string; event?: string }); } });
  return { log, lines };
}

const payload = { cdr: { uuid: 'u' } } as unknown as SwitchEvents['cdr'];

test('typed subscribe, once, off and onAny', () => {
  const { log } = recordingLogger();
  const bus = new EventBus(log);
  const seen: string[] = [];
  const l = () => { seen.push('on'); };
  bus.on('cdr', l);
  bus.once('cdr', () => { seen.push('once'); });
  const offAny = bus.onAny((e: SwitchEvent) => { seen.push(`any:${e.name}`); });
  assert.equal(bus.listenerCount('cdr'), 3);
  bus.emit('cdr', payload);
  bus.emit('cdr', payload);
  bus.off('cdr', l);
  offAny();
  bus.emit('cdr', payload);
  assert.deepEqual(seen, ['on', 'once', 'any:cdr', 'on', 'any:cdr']);
  const off = bus.on('cdr', l);
  off();
  off();
  bus.emit('cdr', payload);
  assert.equal(seen.length, 5);
  bus.on('cdr', l);
  bus.removeAllListeners();
  assert.equal(bus.listenerCount('cdr'), 0);
});

test('throwing and rejecting listeners are logged and the others still run', async () => {
  const { log, lines } = recordingLogger();
  const bus = new EventBus(log);
  const seen: string[] = [];
  bus.on('cdr', () => { throw new Error('sync'); });
  bus.on('cdr', async () => { throw new Error('async'); });
  bus.onAny(() => { throw new Error('any'); });
  bus.onAny(async () => { throw new Error('any async'); });
  bus.on('cdr', () => { seen.push('ok'); });
  assert.doesNotThrow(() => bus.emit('cdr', payload));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, ['ok']);
  assert.equal(lines.filter((l) => l.msg === 'event listener failed' && l.event === 'cdr').length, 4);
});
