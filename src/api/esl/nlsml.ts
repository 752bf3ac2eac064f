/**
 * The DETECTED_SPEECH body (specs/esl.md §4.4): the recognition result as NLSML, the XML that
 * FreeSWITCH's MRCP recognizer (mod_unimrcp, MRCPv2 / RFC 6787 §9.6) hands to the application, one
 * `<interpretation>` per alternative with its confidence (0.00-1.00), the text as `<instance>` and the
 * spoken `<input mode="speech">`.
 */

export interface NlsmlAlternative {
  transcript: string;
  confidence: number;
}

export function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function confidenceText(c: number): string {
  const v = Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0;
  return v.toFixed(2);
}

/** The NLSML document for a result of `grammar`. */
export function nlsmlResult(grammar: string, alternatives: readonly NlsmlAlternative[]): string {
  const g = xmlEscape(grammar);
  const lines = ['<?xml version="1.0"?>', `<result grammar="${g}">`];
  for (const a of alternatives) {
    const text = xmlEscape(a.transcript);
    const c = confidenceText(a.confidence);
    lines.push(
      `  <interpretation grammar="${g}" confidence="${c}">`,
      `    <instance>${text}</instance>`,
      `    <input mode="speech" confidence="${c}">${text}</input>`,
      '  </interpretation>',
    );
  }
  lines.push('</result>');
  return `${lines.join('\n')}\n`;
}

/** The first `<input>` text of an NLSML result (what a script usually wants), unescaped. */
export function nlsmlInput(xml: string): string | undefined {
  const m = /<input\b[^>]*>([\s\S]*?)<\/input>/.exec(xml);
  if (!m) return undefined;
  return (m[1] ?? '').replace(/&(lt|gt|amp|quot|apos);/g, (_all, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ?? '');
}
