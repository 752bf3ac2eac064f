/**
 * Conference room names of the jambonz surface (specs/jambonz.md §3.A conference): rooms are per
 * account, as the original keeps them per account in its database, so two accounts' rooms of one name
 * are two rooms. The core room is named `<account_sid>:<name>`; hooks and listings show the name the
 * application gave (`friendly_name`). Pure.
 */
export function roomKey(accountSid: string, name: string): string {
  return `${accountSid}:${name}`;
}

/** The name an application gave the core room `key` of `accountSid` (the key itself for another account's or a foreign room). */
export function roomFriendlyName(accountSid: string, key: string): string {
  const prefix = `${accountSid}:`;
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}
