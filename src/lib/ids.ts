/** Identifiers: RFC 3261 branch/tag/Call-ID tokens and UUIDs. */
import { randomBytes, randomUUID } from 'node:crypto';

/** The RFC 3261 section 8.1.1.7 magic cookie that starts every compliant branch. */
export const BRANCH_MAGIC = 'z9hG4bK';

// A pool of random bytes refilled in bulk: token generation is on the signalling hot path.
let pool = Buffer.alloc(0);
let offset = 0;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomToken(length = 16): string {
  if (offset + length > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[pool[offset + i]! % ALPHABET.length];
  offset += length;
  return out;
}

export function newBranch(): string {
  return BRANCH_MAGIC + randomToken(16);
}

export function newTag(): string {
  return randomToken(12);
}

export function newCallId(host?: string): string {
  return host ? `${randomToken(20)}@${host}` : randomToken(24);
}

export function uuid(): string {
  return randomUUID();
}
