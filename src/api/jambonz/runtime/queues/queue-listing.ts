/**
 * The REST view of an account's queues (specs/jambonz.md §2.6 `GET /Accounts/:sid/Queues`): each queue
 * with callers waiting, by friendly name, with its `queue_sid`, size and the waiting calls in order
 * (call sid, priority, 0-based position, seconds waited).
 */
import type { Switch } from '../../../../core/index.ts';
import { friendlyName, queueSid } from './queue-names.ts';

export interface QueueView {
  name: string;
  queue_sid: string;
  size: number;
  members: { call_sid: string; priority: number; position: number; queue_time: number }[];
}

export function queueViews(sw: Switch, accountSid: string): QueueView[] {
  const now = sw.now();
  const out: QueueView[] = [];
  for (const q of sw.queues.list()) {
    const name = friendlyName(accountSid, q.name);
    if (name === undefined || q.size === 0) continue;
    out.push({
      name, queue_sid: queueSid(accountSid, name), size: q.size,
      members: q.members.map((m) => ({ call_sid: m.uuid, priority: m.priority, position: m.position, queue_time: Math.round((now - m.enqueuedAt) / 1000) })),
    });
  }
  return out;
}
