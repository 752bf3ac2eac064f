/**
 * Generic syntax of authentication header values: challenges (WWW-Authenticate, Proxy-Authenticate) and
 * credentials (Authorization, Proxy-Authorization). RFC 3261 section 25.1 (`challenge`, `credentials`,
 * `auth-param`, quoted-string with quoted-pair) and RFC 7235 section 2.1 (several challenges in one
 * value, token68). Scheme and parameter names are case-insensitive and returned lower-cased (names) or
 * as sent (scheme); values are unescaped.
 */
import { AuthError } from './auth-error.ts';

export interface AuthHeaderItem {
  /** Scheme as sent ("Digest"); compare case-insensitively. */
  scheme: string;
  /** auth-params with lower-cased names and unescaped values. */
  params: Record<string, string>;
  /** The token68 form (`Basic dXNlcjpw`), exclusive with params. */
  token68?: string;
}

const TOKEN_CHAR = /[A-Za-z0-9!#$%&'*+\-.^_`|~]/;
const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

export function isToken(s: string): boolean {
  return TOKEN.test(s);
}

function malformed(value: string, pos: number, what: string): AuthError {
  return new AuthError('SIP_AUTH_MALFORMED', `malformed auth header at ${pos}: ${what} in ${JSON.stringify(value.slice(0, 200))}`);
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  skipWs(): void {
    while (!this.done && ' \t\r\n'.includes(this.peek())) this.pos++;
  }

  /** Skips whitespace and empty list elements (`a, , b` is allowed by the list rule). */
  skipWsAndCommas(): void {
    while (!this.done && ' \t\r\n,'.includes(this.peek())) this.pos++;
  }

  readToken(): string {
    const start = this.pos;
    while (!this.done && TOKEN_CHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  readQuoted(): string {
    const open = this.pos;
    this.pos++; // opening quote
    let out = '';
    while (!this.done) {
      const c = this.peek();
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        if (this.pos + 1 >= this.text.length) break;
        out += this.peek(1);
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
    throw malformed(this.text, open, 'unterminated quoted-string');
  }

  /** True if the text at the cursor is `token BWS "=" BWS (token / quoted-string)`. */
  atAuthParam(): boolean {
    let i = this.pos;
    const t = this.text;
    const start = i;
    while (i < t.length && TOKEN_CHAR.test(t.charAt(i))) i++;
    if (i === start) return false;
    while (i < t.length && ' \t'.includes(t.charAt(i))) i++;
    if (t.charAt(i) !== '=') return false;
    i++;
    while (i < t.length && ' \t'.includes(t.charAt(i))) i++;
    const c = t.charAt(i);
    return c === '"' || (c !== '' && TOKEN_CHAR.test(c));
  }
}

function readParams(s: Scanner, params: Record<string, string>): void {
  for (;;) {
    const nameStart = s.pos;
    const name = s.readToken().toLowerCase();
    s.skipWs();
    if (s.peek() !== '=') throw malformed(s.text, s.pos, 'expected "="');
    s.pos++;
    s.skipWs();
    const value = s.peek() === '"' ? s.readQuoted() : s.readToken();
    if (Object.hasOwn(params, name)) throw malformed(s.text, nameStart, `duplicate parameter ${name}`);
    // defineProperty, not assignment: a parameter named __proto__ must stay plain data.
    Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
    s.skipWs();
    if (s.done) return;
    if (s.peek() !== ',') throw malformed(s.text, s.pos, 'expected ","');
    s.skipWsAndCommas();
    if (s.done || !s.atAuthParam()) return;
  }
}

/**
 * Parses one header value into its challenges or credentials (usually one; HTTP allows several
 * comma-separated). Throws AuthError SIP_AUTH_MALFORMED on bad syntax and nothing else.
 */
export function parseAuthHeader(value: string): AuthHeaderItem[] {
  const s = new Scanner(value);
  const items: AuthHeaderItem[] = [];
  s.skipWsAndCommas();
  while (!s.done) {
    const scheme = s.readToken();
    if (scheme === '') throw malformed(value, s.pos, 'expected an auth-scheme');
    const item: AuthHeaderItem = { scheme, params: {} };
    items.push(item);
    const afterScheme = s.pos;
    s.skipWs();
    if (s.done) break;
    if (s.peek() === ',') {
      s.skipWsAndCommas();
      continue;
    }
    if (s.pos === afterScheme) throw malformed(value, s.pos, 'expected whitespace after the scheme');
    if (s.atAuthParam()) {
      readParams(s, item.params);
      continue;
    }
    const start = s.pos;
    while (!s.done && TOKEN68_CHAR.test(s.peek())) s.pos++;
    if (s.pos === start) throw malformed(value, s.pos, 'expected auth-params or token68');
    while (s.peek() === '=') s.pos++;
    item.token68 = value.slice(start, s.pos);
    s.skipWs();
    if (s.done) break;
    if (s.peek() !== ',') throw malformed(value, s.pos, 'expected "," after token68');
    s.skipWsAndCommas();
  }
  if (items.length === 0) throw malformed(value, 0, 'empty value');
  return items;
}

/** quoted-string with `"` and `\` escaped; CR, LF and NUL cannot be carried and are refused. */
export function quoteString(value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new AuthError('SIP_AUTH_MALFORMED', 'auth-param value contains CR, LF or NUL');
  }
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * Formats one challenge or credentials value. Parameters named in `tokenParams` are written as tokens
 * when their value is a token (algorithm, stale, nc...); every other value is quoted.
 */
export function formatAuthHeaderItem(item: AuthHeaderItem, tokenParams: ReadonlySet<string> = new Set()): string {
  if (!isToken(item.scheme)) throw new AuthError('SIP_AUTH_MALFORMED', `invalid auth-scheme ${JSON.stringify(item.scheme)}`);
  if (item.token68 !== undefined) {
    if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(item.token68)) throw new AuthError('SIP_AUTH_MALFORMED', 'invalid token68');
    return `${item.scheme} ${item.token68}`;
  }
  const parts: string[] = [];
  for (const [name, value] of Object.entries(item.params)) {
    if (!isToken(name)) throw new AuthError('SIP_AUTH_MALFORMED', `invalid auth-param name ${JSON.stringify(name)}`);
    const asToken = tokenParams.has(name.toLowerCase()) && isToken(value);
    parts.push(`${name}=${asToken ? value : quoteString(value)}`);
  }
  return parts.length === 0 ? item.scheme : `${item.scheme} ${parts.join(', ')}`;
}
