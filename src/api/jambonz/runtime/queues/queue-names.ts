/**
 * Queue names of the jambonz surface (specs/jambonz.md §2.4 enqueue actionHook): queues are per
 * account; the core queue is named `<account_sid>:<name>` and the wire `queue_sid` is
 * `queue:<account_sid>:<name>`. Pure.
 */
export function queueKey(accountSid: string, name: string): string {
  return `${accountSid}:${name}`;
}

export function queueSid(accountSid: string, name: string): string {
  return `queue:${queueKey(accountSid, name)}`;
}

/** The friendly name of a core queue of `accountSid`, or undefined when it belongs to another account. */
export function friendlyName(accountSid: string, key: string): string | undefined {
  const prefix = `${accountSid}:`;
  return key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
}
