/**
 * Writing a SIP message (RFC 3261 sections 7 and 18.3): start line, header fields in order with
 * canonical names, a Content-Length equal to the body's length (any existing one is replaced in place),
 * the empty line, the body.
 */
import type { SipMessage } from './message.ts';

/**
 * The start line and header section, including the empty line that ends it. Built as one join of the
 * pieces: concatenating them one by one would allocate a chain of intermediate strings per field.
 */
export function serializeHead(msg: SipMessage): string {
  const h = msg.headers;
  const n = h.size;
  const parts = new Array<string>(4 * n + 6);
  let k = 0;
  parts[k++] = msg.startLine();
  parts[k++] = '\r\n';
  let clDone = false;
  for (let i = 0; i < n; i++) {
    if (h.keyAt(i) === 'content-length') {
      if (clDone) continue;
      clDone = true;
      parts[k++] = 'Content-Length: ';
      parts[k++] = String(msg.body.length);
      parts[k++] = '\r\n';
      continue;
    }
    parts[k++] = h.nameAt(i);
    parts[k++] = ': ';
    parts[k++] = h.valueAt(i);
    parts[k++] = '\r\n';
  }
  if (!clDone) {
    parts[k++] = 'Content-Length: ';
    parts[k++] = String(msg.body.length);
    parts[k++] = '\r\n';
  }
  parts[k++] = '\r\n';
  parts.length = k;
  return parts.join('');
}

export interface SerializeOptions {
  /**
   * Gives the result memory of its own instead of a slice of Node's shared buffer pool. For a message
   * kept for long (a final response waiting out Timer J): a pool slice would keep its whole pool slab
   * alive.
   */
  standalone?: boolean;
}

/** The wire form of a message. */
export function serializeMessage(msg: SipMessage, opts?: SerializeOptions): Buffer {
  const head = serializeHead(msg);
  const body = msg.body;
  const standalone = opts?.standalone === true;
  if (body.length === 0 && !standalone) return Buffer.from(head, 'utf8');
  const headLen = Buffer.byteLength(head, 'utf8');
  const size = headLen + body.length;
  const out = standalone ? Buffer.allocUnsafeSlow(size) : Buffer.allocUnsafe(size);
  out.write(head, 0, 'utf8');
  body.copy(out, headLen);
  return out;
}
