/**
 * Writing a SIP message (RFC 3261 sections 7 and 18.3): start line, header fields in order with
 * canonical names, a Content-Length equal to the body's length (any existing one is replaced in place),
 * the empty line, the body.
 */
import type { SipMessage } from './message.ts';

/** The start line and header section, including the empty line that ends it. */
export function serializeHead(msg: SipMessage): string {
  let head = msg.startLine() + '\r\n';
  const h = msg.headers;
  const n = h.size;
  const clLine = 'Content-Length: ' + msg.body.length + '\r\n';
  let clDone = false;
  for (let i = 0; i < n; i++) {
    if (h.keyAt(i) === 'content-length') {
      if (!clDone) head += clLine;
      clDone = true;
      continue;
    }
    head += h.nameAt(i) + ': ' + h.valueAt(i) + '\r\n';
  }
  if (!clDone) head += clLine;
  return head + '\r\n';
}

/** The wire form of a message. */
export function serializeMessage(msg: SipMessage): Buffer {
  const head = serializeHead(msg);
  const body = msg.body;
  if (body.length === 0) return Buffer.from(head, 'utf8');
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLen);
  return out;
}
