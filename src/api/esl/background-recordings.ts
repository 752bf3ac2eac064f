/**
 * Background recordings of a leg (a media bug in the original; specs/esl.md §5 uuid_record, §6
 * record_session / stop_record_session): each started recording is kept by channel uuid and path until
 * it ends or the channel is destroyed, so `stop <path>` and `stop all` find it. RECORD_START / STOP come
 * from the core's record events (event-map.ts). Shared by the API `uuid_record` and the apps.
 */
import type { Channel, Recording } from '../../core/index.ts';

/** Recordings by channel uuid, then by path. */
export type BackgroundRecordings = Map<string, Map<string, Recording>>;

/** Starts recording the leg to `path` (both directions); false when the channel is gone. */
export function startBackgroundRecording(
  recordings: BackgroundRecordings, channel: Channel, path: string, limitSecs?: number,
): boolean {
  if (channel.ended) return false;
  const rec = channel.record(path, limitSecs !== undefined && limitSecs > 0 ? { maxDurationMs: limitSecs * 1000 } : {});
  let mine = recordings.get(channel.uuid);
  if (!mine) {
    const created = new Map<string, Recording>();
    recordings.set(channel.uuid, created);
    channel.on('destroyed', () => recordings.delete(channel.uuid));
    mine = created;
  }
  mine.set(path, rec);
  const map = mine;
  void rec.done.then(() => { if (map.get(path) === rec) map.delete(path); });
  return true;
}

/** Stops the leg's recording to `path`, or all of them (`all`); resolves how many were stopped. */
export function stopBackgroundRecording(recordings: BackgroundRecordings, uuid: string, path: string): number {
  const mine = recordings.get(uuid);
  const victims = path === 'all' ? [...(mine?.values() ?? [])] : [mine?.get(path)].filter((r) => r !== undefined);
  for (const r of victims) r.stop();
  return victims.length;
}
