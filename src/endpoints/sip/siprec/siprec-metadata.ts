/**
 * The recording metadata of a SIPREC recording session (RFC 7865 section 6 model, its XML format of
 * RFC 7865 section 7 / RFC 7866 section 9, media type `application/rs-metadata+xml`): one recording
 * session (`datamode` complete), one group, one communication session carrying the recorded call's
 * SIP Call-ID as sipSessionID (as the original's recording client does), two participants (the caller
 * and the callee, named by their address of record), two streams labelled as the SDP's `a=label`
 * (RFC 4574), the participant/session associations, and which stream each participant sends and
 * receives: the caller sends stream 1 and receives stream 2, the callee the other way round.
 * Extension data (RFC 7865 section 8.10 `extensiondata`) carries the application's name/value pairs in
 * the original's `jb:` namespace. Pure: ids and time are given.
 */

export const RS_METADATA_TYPE = 'application/rs-metadata+xml';
export const RECORDING_NAMESPACE = 'urn:ietf:params:xml:ns:recording:1';
export const EXTENSION_NAMESPACE = 'http://jambonz.org/siprec';

export interface MetadataParticipant {
  id: string;
  aor: string;
  name?: string;
}

export interface MetadataInit {
  /** Ids of the group, the session, the two participants and the two streams (RFC 7865 section 6.1.4: unique, base64 of a UUID). */
  ids: { group: string; session: string; caller: string; callee: string; stream1: string; stream2: string };
  /** The recorded call's SIP Call-ID. */
  callId: string;
  caller: { aor: string; name?: string };
  callee: { aor: string; name?: string };
  /** Labels of the two streams (the SDP a=label of each m= line). */
  labels: [string, string];
  /** When the session was associated (ISO 8601, RFC 7865 section 6.1.2). */
  time: Date;
  extensionData?: Readonly<Record<string, string>>;
}

/** XML character data and attribute values (the five predefined entities; controls dropped). */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&'"]/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/** An element name for an extension key: letters, digits, '-', '_' and '.', starting with a letter or '_'. */
function extensionName(key: string): string | undefined {
  const name = key.toLowerCase().replace(/[^a-z0-9_.-]/g, '');
  return /^[a-z_]/.test(name) ? name : undefined;
}

/** An id in the RFC 7865 form: the base64 of a 128-bit UUID's bytes. */
export function metadataId(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64');
}

/** The metadata document (CRLF line ends, as SIP bodies are written). */
export function buildMetadata(m: MetadataInit): string {
  const t = m.time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { ids } = m;
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<recording xmlns="${RECORDING_NAMESPACE}">`,
    '  <datamode>complete</datamode>',
    `  <group group_id="${ids.group}">`,
    `    <associate-time>${t}</associate-time>`,
    '  </group>',
    `  <session session_id="${ids.session}">`,
    `    <group-ref>${ids.group}</group-ref>`,
    `    <sipSessionID>${escapeXml(m.callId)}</sipSessionID>`,
    `    <start-time>${t}</start-time>`,
    '  </session>',
  ];
  const ext = Object.entries(m.extensionData ?? {})
    .map(([k, v]) => [extensionName(k), v] as const)
    .filter((e): e is readonly [string, string] => e[0] !== undefined);
  if (ext.length > 0) {
    lines.push(`  <extensiondata xmlns:jb="${EXTENSION_NAMESPACE}">`);
    for (const [k, v] of ext) lines.push(`    <jb:${k}>${escapeXml(v)}</jb:${k}>`);
    lines.push('  </extensiondata>');
  }
  const parties: [string, { aor: string; name?: string }][] = [[ids.caller, m.caller], [ids.callee, m.callee]];
  for (const [id, p] of parties) {
    lines.push(
      `  <participant participant_id="${id}">`,
      `    <nameID aor="${escapeXml(p.aor)}">`,
      ...(p.name ? [`      <name>${escapeXml(p.name)}</name>`] : []),
      '    </nameID>',
      '  </participant>',
      `  <participantsessionassoc participant_id="${id}" session_id="${ids.session}">`,
      `    <associate-time>${t}</associate-time>`,
      '  </participantsessionassoc>',
    );
  }
  const streams: [string, string][] = [[ids.stream1, m.labels[0]], [ids.stream2, m.labels[1]]];
  for (const [id, label] of streams) {
    lines.push(`  <stream stream_id="${id}" session_id="${ids.session}">`, `    <label>${escapeXml(label)}</label>`, '  </stream>');
  }
  const sends: [string, string, string][] = [[ids.caller, ids.stream1, ids.stream2], [ids.callee, ids.stream2, ids.stream1]];
  for (const [id, send, recv] of sends) {
    lines.push(`  <participantstreamassoc participant_id="${id}">`, `    <send>${send}</send>`, `    <recv>${recv}</recv>`, '  </participantstreamassoc>');
  }
  lines.push('</recording>');
  return lines.join('\r\n') + '\r\n';
}
