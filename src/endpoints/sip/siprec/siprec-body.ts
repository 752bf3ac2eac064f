/**
 * The body of a SIPREC INVITE (RFC 7866 section 9.1; multipart bodies in SIP, RFC 5621): a
 * `multipart/mixed` with the SDP offer (`Content-Disposition: session`) and the recording metadata
 * (`Content-Disposition: recording-session`, the disposition type of RFC 7866 section 9), built with
 * the SIP message room's multipart writer. Re-INVITEs that only pause or resume carry the SDP alone.
 * Pure.
 */
import { buildMultipart } from '../../../sip/index.ts';
import { RS_METADATA_TYPE } from './siprec-metadata.ts';

export const SDP_TYPE = 'application/sdp';

export function buildSiprecBody(sdp: string, metadata: string): { body: Buffer; contentType: string } {
  return buildMultipart([
    { headers: [['Content-Type', SDP_TYPE], ['Content-Disposition', 'session;handling=required']], body: sdp },
    { headers: [['Content-Type', RS_METADATA_TYPE], ['Content-Disposition', 'recording-session']], body: metadata },
  ]);
}
