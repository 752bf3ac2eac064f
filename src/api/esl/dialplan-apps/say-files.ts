/**
 * The recorded-prompt form of `say` (specs/esl.md §6 say; compatibility source: FreeSWITCH mod_say_en
 * and the sounds packages' layout): the list of sound names (no extension) the English say module plays
 * for a request, e.g. `en number pronounced 21` -> `digits/20`, `digits/1`. Names are relative to the
 * channel's `sound_prefix`: `digits/<0-19, 20..90>`, `digits/h-<n>` (ordinals), `digits/hundred` /
 * `thousand` / `million` / `dot`, `currency/dollar(s)` / `cent(s)` / `and` / `negative`, `time/hour(s)` /
 * `minute(s)` / `second(s)` / `day-<0-6>` / `mon-<0-11>` / `at` / `oh` / `oclock` / `a-m` / `p-m` /
 * `today` / `yesterday`, `ascii/<code>`, `phonetic-ascii/<code>`; `silence_stream://100` between the
 * groups of a telephone number. As the original: numbers up to nine digits, an ordinal of 10-19 said
 * as the cardinal, currency cents as written (`1.5` is five cents), time_measurement as h:m:s or
 * seconds with all three units said. Pure (the clock comes in).
 */
import type { SayRequest } from './say-text.ts';

/** mod_say_en's one-to-three-digit group, with an optional scale word after it. */
function group(hundreds: number, tens: number, ones: number, counted: boolean, scale: string | undefined): string[] {
  const out: string[] = [];
  if (hundreds) out.push(`digits/${hundreds}`, 'digits/hundred');
  let units = ones;
  if (tens > 1) out.push(counted && units === 0 ? `digits/h-${tens}0` : `digits/${tens}0`);
  else if (tens === 1) {
    out.push(`digits/1${units}`);
    units = 0;
  }
  if (units) out.push(counted ? `digits/h-${units}` : `digits/${units}`);
  if (scale && (hundreds || tens || ones)) out.push(scale);
  return out;
}

/** A whole number 0..999 999 999 as sounds; counted: the last group as an ordinal. */
export function numberFiles(n: number, counted = false): string[] {
  if (n === 0) return ['digits/0'];
  const d = (place: number): number => Math.floor(n / 10 ** place) % 10;
  return [
    ...group(d(8), d(7), d(6), false, 'digits/million'),
    ...group(d(5), d(4), d(3), false, 'digits/thousand'),
    ...group(d(2), d(1), d(0), counted, undefined),
  ];
}

/** A year: 1999 as nineteen ninety nine, 2000 / 2010 as the whole number. */
function yearFiles(year: number): string[] {
  const hi = Math.floor(year / 100);
  const lo = year % 100;
  if (!lo || !(hi % 10)) return numberFiles(year);
  return [...numberFiles(hi), ...numberFiles(lo)];
}

/** number / items / persons / messages: undefined when the text is not a whole number of at most 9 digits. */
function countFiles(text: string, method: string): string[] | undefined {
  const t = text.replace(/,/g, '').trim();
  if (method === 'iterated') return t === '' ? undefined : [...t].map((c) => `digits/${c}`);
  if (!/^\d{1,9}$/.test(t)) return undefined;
  return numberFiles(Number(t), method === 'counted');
}

function unitFiles(n: number, one: string, many: string): string[] {
  return n ? [...numberFiles(n), n === 1 ? one : many] : ['digits/0', many];
}

function measurementFiles(text: string): string[] | undefined {
  let h = 0;
  let m = 0;
  let s: number;
  const t = text.trim();
  if (t.includes(':')) {
    const parts = t.split(':').map((p) => Number.parseInt(p, 10) || 0);
    s = parts.at(-1)!;
    m = parts.length >= 2 ? parts.at(-2)! : 0;
    h = parts.length >= 3 ? parts.at(-3)! : 0;
  } else {
    if (!/^\d+$/.test(t)) return undefined;
    const total = Number(t);
    h = Math.floor(total / 3600);
    m = Math.floor((total % 3600) / 60);
    s = total % 60;
  }
  if ([h, m, s].some((x) => x < 0 || x > 999_999_999)) return undefined;
  return [...unitFiles(h, 'time/hour', 'time/hours'), ...unitFiles(m, 'time/minute', 'time/minutes'), ...unitFiles(s, 'time/second', 'time/seconds')];
}

function currencyFiles(text: string, method: string): string[] | undefined {
  const t = text.replace(/[^0-9.+-]/g, '');
  const m = /^([+-]?)(\d{1,9})(?:\.(\d*))?$/.exec(t);
  if (!m) return undefined;
  const out = m[1] === '-' ? ['currency/negative'] : [];
  const dollars = m[2]!;
  out.push(...countFiles(dollars, method)!, Number(dollars) === 1 ? 'currency/dollar' : 'currency/dollars');
  if (m[3] !== undefined) {
    const cents = m[3].slice(0, 2) || '0';
    out.push('currency/and', ...countFiles(cents, method)!, Number(cents) === 1 ? 'currency/cent' : 'currency/cents');
  }
  return out;
}

function ipFiles(text: string, method: string): string[] | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return undefined;
  return parts.flatMap((p, i) => [...(i ? ['digits/dot'] : []), ...countFiles(p, method)!]);
}

function telephoneFiles(text: string): string[] {
  const out: string[] = [];
  let silence = false;
  for (const ch of text.toLowerCase()) {
    if (/[0-9]/.test(ch)) out.push(`digits/${ch}`);
    else if (ch === '+' || /[a-z]/.test(ch)) out.push(`ascii/${ch.charCodeAt(0)}`);
    else if (!silence) {
      out.push('silence_stream://100');
      silence = true;
      continue;
    } else continue;
    silence = false;
  }
  return out;
}

function spellFiles(text: string, phonetic: boolean): string[] {
  return [...text.toLowerCase()].map((ch) => (/[0-9]/.test(ch) ? `digits/${ch}` : `${phonetic ? 'phonetic-ascii' : 'ascii'}/${ch.charCodeAt(0)}`));
}

interface Clock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  /** Day of the year, for "today" / "yesterday". */
  yday: number;
}

function clockOf(epochMs: number, timeZone: string | undefined): Clock {
  const fmt = new Intl.DateTimeFormat('en-US', {
    ...(timeZone ? { timeZone } : {}), hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
  });
  const p = Object.fromEntries(fmt.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]));
  const year = Number(p['year']);
  const month = Number(p['month']) - 1;
  const day = Number(p['day']);
  const yday = Math.round((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000);
  return {
    year, month, day, yday, hour: Number(p['hour']), minute: Number(p['minute']),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p['weekday'] ?? ''),
  };
}

function dateTimeFiles(type: string, method: string, text: string, nowMs: number, timeZone: string | undefined): string[] {
  const t = text.trim();
  const epochMs = /^\d+$/.test(t) && Number(t) > 0 ? Number(t) * 1000 : nowMs;
  const tm = clockOf(epochMs, timeZone);
  const now = clockOf(nowMs, timeZone);
  let date = type === 'current_date' || type === 'current_date_time';
  const time = type !== 'current_date';
  let today = false;
  let yesterday = false;
  let dow = false;
  let month = false;
  let day = false;
  if (type === 'short_date_time') {
    const future = tm.year > now.year || (tm.year === now.year && (tm.month > now.month || (tm.month === now.month && tm.day > now.day)));
    if (future || tm.year !== now.year) date = true;
    else if (tm.yday === now.yday) today = true;
    else if (tm.yday === now.yday - 1) yesterday = true;
    else if (tm.yday >= now.yday - 5) dow = true;
    else month = day = dow = true;
  }
  const out: string[] = [];
  if (date) {
    out.push(`time/day-${tm.weekday}`, `time/mon-${tm.month}`, ...numberFiles(tm.day, true), ...yearFiles(tm.year));
  } else {
    if (today) out.push('time/today');
    if (yesterday) out.push('time/yesterday');
    if (dow) out.push(`time/day-${tm.weekday}`);
    if (month) out.push(`time/mon-${tm.month}`);
    if (day) out.push(...numberFiles(tm.day, true));
  }
  if (!time) return out;
  if (date || today || yesterday || dow) out.push('time/at');
  if (method === 'iterated') {
    // Military time: "oh nine thirty hours", "twenty four hundred hours" at midnight.
    const hour = tm.hour === 0 && tm.minute === 0 ? 24 : tm.hour;
    if (hour < 10) out.push('digits/0');
    out.push(...numberFiles(hour));
    if (tm.minute > 9) out.push(...numberFiles(tm.minute));
    else if (tm.minute) out.push('digits/0', ...numberFiles(tm.minute));
    else out.push('digits/hundred');
    out.push('time/hours');
    return out;
  }
  const hour = tm.hour > 12 ? tm.hour - 12 : tm.hour === 0 ? 12 : tm.hour;
  out.push(...numberFiles(hour));
  if (tm.minute > 9) out.push(...numberFiles(tm.minute));
  else if (tm.minute) out.push('time/oh', ...numberFiles(tm.minute));
  else out.push('time/oclock');
  out.push(tm.hour >= 12 ? 'time/p-m' : 'time/a-m');
  return out;
}

/**
 * The sounds the English say module plays, or undefined when it has no recorded form for the request
 * (another module, a type it does not know, a text it cannot read): the caller then speaks it by TTS.
 */
export function sayFiles(r: SayRequest, nowMs: number, timeZone?: string): string[] | undefined {
  if (r.module !== 'en') return undefined;
  switch (r.type) {
    case 'number': case 'items': case 'persons': case 'messages':
      return countFiles(r.text, r.method);
    case 'time_measurement':
      return measurementFiles(r.text);
    case 'current_date': case 'current_time': case 'current_date_time': case 'short_date_time':
      return dateTimeFiles(r.type, r.method, r.text, nowMs, timeZone);
    case 'ip_address':
      return ipFiles(r.text, r.method);
    case 'currency':
      return currencyFiles(r.text, r.method);
    case 'telephone_number':
      return telephoneFiles(r.text);
    case 'name_spelled': case 'name_phonetic':
      return spellFiles(r.text, r.type === 'name_phonetic');
    default:
      return undefined;
  }
}
