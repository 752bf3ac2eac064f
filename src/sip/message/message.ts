/**
 * SIP requests and responses (RFC 3261 section 7). A message keeps its header fields as raw text
 * (SipHeaders) and parses a header only when it is read; parsed values are cached until the header list
 * changes (its `version`). Parsed values are snapshots: change a message through `headers`, not by
 * editing a returned object.
 */
import type { CSeq, ContactValue, NameAddr, Params, SipUri, Via } from './types.ts';
import { rethrowAs } from './errors.ts';
import { SipHeaders } from './headers.ts';
import {
  readAddressList,
  readCallId,
  readCSeq,
  readContacts,
  readContentType,
  readExpires,
  readFrom,
  readMaxForwards,
  readTo,
  readTokens,
  readVias,
} from './header-values.ts';
import type { MediaType } from './header-values.ts';
import { parseSipDate } from './sip-date.ts';
import { parseUri } from './uri.ts';
import { formatVia } from './via.ts';

declare module './errors.ts' {
  interface SipParseError {
    /**
     * The request that failed, when the start line was a request line and its Via, From, To, Call-ID
     * and CSeq were readable, so that the stack can answer it (createResponse(err.request, err.status,
     * err.reason)).
     */
    request?: SipRequest;
  }
}

type Reader<T> = (h: SipHeaders) => T;

/** A cached header reader: its slot in the per-message cache array. */
interface Slot<T> {
  id: number;
  read: Reader<T>;
}

let slotCount = 0;
function slot<T>(read: Reader<T>): Slot<T> {
  return { id: slotCount++, read };
}

const UNSET: unique symbol = Symbol('unset');
const EMPTY = Buffer.alloc(0);

const S_VIAS = slot(readVias);
const S_FROM = slot(readFrom);
const S_TO = slot(readTo);
const S_CALL_ID = slot(readCallId);
const S_CSEQ = slot(readCSeq);
const S_CONTACTS = slot(readContacts);
const S_ROUTES = slot((h) => readAddressList(h, 'route', 'Route'));
const S_RECORD_ROUTES = slot((h) => readAddressList(h, 'record-route', 'Record-Route'));
const S_MAX_FORWARDS = slot(readMaxForwards);
const S_CONTENT_TYPE = slot(readContentType);
const S_EXPIRES = slot(readExpires);
const S_REQUIRE = slot((h) => readTokens(h, 'require', 'Require'));
const S_SUPPORTED = slot((h) => readTokens(h, 'supported', 'Supported'));
const S_DATE = slot((h): Date | undefined => {
  const v = h.getByKey('date');
  return v === undefined ? undefined : parseSipDate(v);
});

function toBuffer(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return EMPTY;
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function toHeaders(h: SipHeaders | Iterable<readonly [string, string]> | undefined): SipHeaders {
  if (h instanceof SipHeaders) return h;
  return new SipHeaders(h);
}

export abstract class SipMessage {
  headers: SipHeaders;
  /** The message body; may share memory with the datagram it was parsed from. */
  body: Buffer;
  private memoVersion = -1;
  private memoVals: unknown[] | undefined;

  protected constructor(headers?: SipHeaders | Iterable<readonly [string, string]>, body?: Buffer | string) {
    this.headers = toHeaders(headers);
    this.body = toBuffer(body);
  }

  /** Runs a header reader once per header-list version. Errors are not cached. */
  private memo<T>(slot: Slot<T>): T {
    const h = this.headers;
    let vals = this.memoVals;
    if (vals === undefined || this.memoVersion !== h.version) {
      vals = new Array<unknown>(slotCount).fill(UNSET);
      this.memoVals = vals;
      this.memoVersion = h.version;
    } else {
      const hit = vals[slot.id];
      if (hit !== UNSET) return hit as T;
    }
    const v = slot.read(h);
    vals[slot.id] = v;
    return v;
  }

  abstract isRequest(): this is SipRequest;

  /** The start line without its CRLF ("INVITE sip:bob@example.com SIP/2.0", "SIP/2.0 200 OK"). */
  abstract startLine(): string;

  /** Every Via value in order, top first (empty when there is none). */
  get vias(): Via[] {
    return this.memo(S_VIAS);
  }

  get topVia(): Via | undefined {
    return this.vias[0];
  }

  get from(): NameAddr {
    return this.memo(S_FROM);
  }

  get to(): NameAddr {
    return this.memo(S_TO);
  }

  get fromTag(): string | undefined {
    return this.from.params.tag ?? undefined;
  }

  get toTag(): string | undefined {
    return this.to.params.tag ?? undefined;
  }

  get callId(): string {
    return this.memo(S_CALL_ID);
  }

  get cseq(): CSeq {
    return this.memo(S_CSEQ);
  }

  get contacts(): ContactValue[] {
    return this.memo(S_CONTACTS);
  }

  get routes(): NameAddr[] {
    return this.memo(S_ROUTES);
  }

  get recordRoutes(): NameAddr[] {
    return this.memo(S_RECORD_ROUTES);
  }

  get maxForwards(): number | undefined {
    return this.memo(S_MAX_FORWARDS);
  }

  private get mediaType(): MediaType | undefined {
    return this.memo(S_CONTENT_TYPE);
  }

  /** Media type of the body, lower-case, without parameters ("application/sdp"). */
  get contentType(): string | undefined {
    return this.mediaType?.type;
  }

  /** Parameters of Content-Type (boundary, charset...); empty when absent. */
  get contentTypeParams(): Params {
    return this.mediaType?.params ?? {};
  }

  get expires(): number | undefined {
    return this.memo(S_EXPIRES);
  }

  /** Option tags of Require. */
  get require(): string[] {
    return this.memo(S_REQUIRE);
  }

  /** Option tags of Supported. */
  get supported(): string[] {
    return this.memo(S_SUPPORTED);
  }

  /** The Date header (RFC 3261 section 20.17), which must be in GMT. */
  get date(): Date | undefined {
    return this.memo(S_DATE);
  }

  /**
   * Replaces the top Via value (RFC 3261 section 18.2.1: the received and rport parameters a server adds
   * on receipt). Values already parsed from the other header fields stay cached: only Via is read again.
   */
  replaceTopVia(via: Via): void {
    const h = this.headers;
    const vals = this.memoVersion === h.version ? this.memoVals : undefined;
    h.removeFirstValue('via');
    h.prepend('Via', formatVia(via));
    if (vals === undefined) return;
    this.memoVersion = h.version;
    vals[S_VIAS.id] = UNSET;
  }

  /**
   * Replaces the body. A string is encoded as UTF-8. With a content type, Content-Type is set too; an
   * existing Content-Length is updated (serializeMessage writes the real length in any case).
   */
  setBody(body: Buffer | string, contentType?: string): void {
    this.body = toBuffer(body);
    if (contentType !== undefined) this.headers.set('Content-Type', contentType);
    if (this.headers.getByKey('content-length') !== undefined) this.headers.set('Content-Length', String(this.body.length));
  }

  abstract clone(): SipMessage;
}

/** A request. A SipHeaders passed to the constructor is used as is (not copied); other iterables are. */
export class SipRequest extends SipMessage {
  method: string;
  /** The Request-URI as text; may be replaced (e.g. by a proxy retargeting the request). */
  uri: string;
  private ruriText: string | undefined;
  private ruri: SipUri | undefined;

  constructor(
    method: string,
    uri: string,
    headers?: SipHeaders | Iterable<readonly [string, string]>,
    body?: Buffer | string,
  ) {
    super(headers, body);
    this.method = method;
    this.uri = uri;
  }

  isRequest(): this is SipRequest {
    return true;
  }

  startLine(): string {
    return `${this.method} ${this.uri} SIP/2.0`;
  }

  /** The parsed Request-URI, cached while `uri` is unchanged. Throws SipParseError "Bad Request-URI". */
  get requestUri(): SipUri {
    if (this.ruri === undefined || this.ruriText !== this.uri) {
      const text = this.uri;
      try {
        this.ruri = parseUri(text);
      } catch (err) {
        rethrowAs('Bad Request-URI', err);
      }
      this.ruriText = text;
    }
    return this.ruri;
  }

  clone(): SipRequest {
    return new SipRequest(this.method, this.uri, this.headers.clone(), this.body);
  }
}

/** A response. A SipHeaders passed to the constructor is used as is (not copied); other iterables are. */
export class SipResponse extends SipMessage {
  status: number;
  reason: string;

  constructor(
    status: number,
    reason: string,
    headers?: SipHeaders | Iterable<readonly [string, string]>,
    body?: Buffer | string,
  ) {
    super(headers, body);
    this.status = status;
    this.reason = reason;
  }

  isRequest(): this is SipRequest {
    return false;
  }

  startLine(): string {
    return `SIP/2.0 ${this.status} ${this.reason}`;
  }

  clone(): SipResponse {
    return new SipResponse(this.status, this.reason, this.headers.clone(), this.body);
  }
}
