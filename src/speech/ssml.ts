/**
 * SSML to plain text for engines that speak text only (the offline espeak-ng engine): tags are removed,
 * `<break>` and paragraph / sentence ends become pauses (commas and full stops), `<sub alias="...">`
 * speaks its alias, and the XML entities are decoded. Text that is not SSML is returned trimmed.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** True when `text` looks like SSML (starts with `<speak` or holds tags). */
export function isSsml(text: string): boolean {
  return /^\s*<speak[\s>]/i.test(text) || /<\/?[a-z][\w:-]*(\s[^>]*)?\/?>/i.test(text);
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}

/** The words of an SSML document (or of plain text), ready for a text-only engine. */
export function ssmlToText(text: string): string {
  if (!isSsml(text)) return decodeEntities(text).replace(/\s+/g, ' ').trim();
  const out = text
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<sub\b[^>]*\balias\s*=\s*("([^"]*)"|'([^']*)')[^>]*>[\s\S]*?<\/sub>/gi, (_m, _q, a?: string, b?: string) => ` ${a ?? b ?? ''} `)
    .replace(/<break\b[^>]*\/?>/gi, ', ')
    .replace(/<\/(p|s)>/gi, '. ')
    .replace(/<[^>]*>/g, ' ');
  return decodeEntities(out)
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.])/g, '$1')
    .replace(/([,.])(\s*[,.])+/g, '$1')
    .replace(/^[\s,.]+/, '')
    .trim();
}
