/**
 * What the `say` app speaks (specs/esl.md §6 say: `<module>[:<lang>] <type> <method> [<gender>] <text>`),
 * in the manner of the original's English say module: numbers pronounced (words), iterated (digit by
 * digit) or counted (ordinals); currency in dollars and cents; time_measurement as hours, minutes,
 * seconds; current_date / current_time / current_date_time / short_date_time from epoch seconds (empty:
 * now); telephone numbers, extensions, account numbers, IP and e-mail addresses, URLs and spelled names
 * character by character. Other modules than `en` get numerals and the text as is, for the speech
 * engine's own language to read. Pure (the time comes in).
 */

export interface SayRequest {
  module: string;
  language?: string;
  type: string;
  method: string;
  gender?: string;
  text: string;
}

/** `<module>[:<lang>] <type> <method> [<gender>] <text>`: five words at most, the fifth keeps the rest. */
export function parseSay(arg: string): SayRequest | undefined {
  const words: string[] = [];
  let rest = arg.trim();
  while (words.length < 4 && rest !== '') {
    const sp = rest.indexOf(' ');
    if (sp < 0) { words.push(rest); rest = ''; break; }
    words.push(rest.slice(0, sp));
    rest = rest.slice(sp + 1).trim();
  }
  if (rest !== '') words.push(rest);
  if (words.length < 4) return undefined;
  const [mod, type, method] = words as [string, string, string];
  const [module, language] = mod.split(':') as [string, string | undefined];
  const r: SayRequest = { module: module.toLowerCase(), type: type.toLowerCase(), method: method.toLowerCase(), text: words[words.length - 1]! };
  if (language) r.language = language;
  if (words.length === 5) r.gender = words[3]!;
  return r;
}

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES: [number, string][] = [[1e12, 'trillion'], [1e9, 'billion'], [1e6, 'million'], [1e3, 'thousand']];
const ORDINAL: Record<string, string> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SYMBOLS: Record<string, string> = { '.': 'dot', '@': 'at', '-': 'dash', '/': 'slash', ':': 'colon', '#': 'pound', '*': 'star', '+': 'plus', _: 'underscore' };

function below1000(n: number): string {
  const parts: string[] = [];
  if (n >= 100) parts.push(`${ONES[Math.floor(n / 100)]!} hundred`);
  const r = n % 100;
  if (r >= 20) parts.push(r % 10 ? `${TENS[Math.floor(r / 10)]!} ${ONES[r % 10]!}` : TENS[Math.floor(r / 10)]!);
  else if (r > 0 || parts.length === 0) parts.push(ONES[r]!);
  return parts.join(' ');
}

/** 1234 -> "one thousand two hundred thirty four" (integers below 10^15). */
export function numberWords(n: number): string {
  if (n < 0) return `negative ${numberWords(-n)}`;
  let rest = Math.floor(n);
  const parts: string[] = [];
  for (const [size, name] of SCALES) {
    if (rest >= size) {
      parts.push(`${below1000(Math.floor(rest / size))} ${name}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(below1000(rest));
  return parts.join(' ');
}

/** 23 -> "twenty third". */
export function ordinalWords(n: number): string {
  const words = numberWords(n).split(' ');
  const last = words.pop()!;
  const ord = ORDINAL[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return [...words, ord].join(' ');
}

function spell(text: string): string {
  return [...text].filter((ch) => ch.trim() !== '')
    .map((ch) => (/\d/.test(ch) ? ONES[Number(ch)]! : SYMBOLS[ch] ?? ch.toUpperCase())).join(' ');
}

function plural(n: number, word: string): string {
  return `${numberWords(n)} ${word}${n === 1 ? '' : 's'}`;
}

function clockParts(epochMs: number, timeZone: string | undefined): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('en-US', {
    ...(timeZone ? { timeZone } : {}), hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
  });
  return Object.fromEntries(fmt.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
}

function sayTime(hour: number, minute: number): string {
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const mins = minute === 0 ? '' : minute < 10 ? ` oh ${ONES[minute]!}` : ` ${numberWords(minute)}`;
  return `${numberWords(h12)}${mins} ${hour < 12 ? 'A M' : 'P M'}`;
}

function sayDate(p: Record<string, string>): string {
  const day = DAYS[['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p['weekday'] ?? '')] ?? '';
  return `${day} ${MONTHS[Number(p['month']) - 1] ?? ''} ${ordinalWords(Number(p['day']))} ${numberWords(Number(p['year']))}`.trim();
}

function sayNumber(text: string, method: string): string | undefined {
  const digits = text.replace(/[,\s]/g, '');
  if (!/^-?\d+$/.test(digits)) return undefined;
  if (method === 'iterated') return spell(digits.replace('-', ''));
  const n = Number(digits);
  return method === 'counted' ? ordinalWords(n) : numberWords(n);
}

/**
 * The text to speak, or undefined for a type (or a text) the say module does not know. `nowMs` is the
 * epoch time for current_* without a text; `timeZone` an IANA zone (default the server's).
 */
export function sayText(r: SayRequest, nowMs: number, timeZone?: string): string | undefined {
  if (r.module !== 'en') {
    if (r.method === 'iterated') return [...r.text.replace(/\s/g, '')].join(' ');
    return r.text;
  }
  switch (r.type) {
    case 'number': case 'items': case 'persons': case 'messages':
      return sayNumber(r.text, r.method);
    case 'currency': {
      const m = /^(-)?\$?(\d+)(?:\.(\d{1,2}))?$/.exec(r.text.replace(/[,\s]/g, ''));
      if (!m) return undefined;
      const cents = m[3] === undefined ? 0 : Number(m[3].padEnd(2, '0'));
      const dollars = Number(m[2]);
      const parts = [`${m[1] ? 'negative ' : ''}${plural(dollars, 'dollar')}`];
      if (cents > 0) parts.push(`and ${plural(cents, 'cent')}`);
      return parts.join(' ');
    }
    case 'time_measurement': {
      const secs = Number(r.text);
      if (!Number.isFinite(secs) || secs < 0) return undefined;
      const total = Math.floor(secs);
      const h = Math.floor(total / 3600);
      const m = Math.floor((total % 3600) / 60);
      const s = total % 60;
      const parts = [h > 0 ? plural(h, 'hour') : '', m > 0 ? plural(m, 'minute') : '', s > 0 || total === 0 ? plural(s, 'second') : ''];
      return parts.filter(Boolean).join(' ');
    }
    case 'current_date': case 'current_time': case 'current_date_time': case 'short_date_time': {
      const t = r.text.trim();
      const epochMs = t === '' || !/^\d+$/.test(t) ? nowMs : Number(t) * 1000;
      const p = clockParts(epochMs, timeZone);
      const time = sayTime(Number(p['hour']), Number(p['minute']));
      if (r.type === 'current_date') return sayDate(p);
      if (r.type === 'current_time') return time;
      return `${sayDate(p)} ${time}`;
    }
    case 'telephone_number': case 'telephone_extension': case 'account_number': case 'ip_address':
    case 'email_address': case 'url': case 'name_spelled': case 'name_phonetic': case 'postal_address':
      return r.text.trim() === '' ? undefined : spell(r.text);
    default:
      return undefined;
  }
}
