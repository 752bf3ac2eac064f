/**
 * The SIP message layer (RFC 3261 sections 7, 8.2.6, 18.3, 19, 20 and 25; RFC 3966; RFC 2046): the
 * only module other folders import.
 */
export type * from './types.ts';
export { SipParseError, SipHeaderError } from './errors.ts';
export type { SipParseErrorCode, SipParseErrorOptions } from './errors.ts';
export { SipHeaders } from './headers.ts';
export { headerKey, canonicalHeaderName } from './header-names.ts';
export { SipMessage, SipRequest, SipResponse } from './message.ts';
export { parseMessage, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_HEADERS } from './parse.ts';
export type { ParseOptions } from './parse.ts';
export { serializeMessage, serializeHead, type SerializeOptions } from './serialize.ts';
export { parseUri, formatUri } from './uri.ts';
export { uriEquals } from './uri-equals.ts';
export { parseNameAddr, formatNameAddr, parseNameAddrList, parseContactList, formatContact } from './name-addr.ts';
export { parseVia, formatVia, parseViaList } from './via.ts';
export { parseCSeq, formatCSeq, MAX_CSEQ } from './cseq.ts';
export { parseParams, formatParams } from './params.ts';
export { splitHeaderValues } from './split.ts';
export { parseMediaType } from './header-values.ts';
export type { MediaType } from './header-values.ts';
export { parseSipDate, formatSipDate } from './sip-date.ts';
export { createResponse } from './response.ts';
export type { CreateResponseOptions } from './response.ts';
export { reasonPhrase } from './reason-phrases.ts';
export { parseMultipart, buildMultipart } from './multipart.ts';
export type { MimePart, MimePartInit } from './multipart.ts';
