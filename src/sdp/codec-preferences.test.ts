/**
 * The configured codec list (RFC 4855 section 3 case-insensitive names; RFC 3551 clock rates) and how
 * offered formats match it, plus the answerer's choices (RFC 3264 section 6.1, RFC 4733, ptime).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesPreference, parseCodecPreference, parseCodecPreferences } from './codec-preferences.ts';
import { chooseCodec, choosePtime, chooseTelephoneEvent } from './choose-codec.ts';
import type { RtpPayload } from './sdp-model.ts';

const prefs: Array<[string, { name: string; clockRate: number | undefined }]> = [
  ['PCMU', { name: 'PCMU', clockRate: 8000 }],
  ['pcma', { name: 'PCMA', clockRate: 8000 }],
  ['PCMU/8000', { name: 'PCMU', clockRate: 8000 }],
  ['g722', { name: 'G722', clockRate: 8000 }],
  ['G722/16000', { name: 'G722', clockRate: 8000 }],
  ['G722/8000', { name: 'G722', clockRate: 8000 }],
  ['L16', { name: 'L16', clockRate: undefined }],
  ['L16/8000', { name: 'L16', clockRate: 8000 }],
  ['l16/16000', { name: 'L16', clockRate: 16000 }],
  ['L16/48000/1', { name: 'L16', clockRate: 48000 }],
  ['opus', { name: 'opus', clockRate: 48000 }],
  ['OPUS/48000/2', { name: 'opus', clockRate: 48000 }],
  [' Opus ', { name: 'opus', clockRate: 48000 }],
];

for (const [entry, want] of prefs) {
  test(`preference "${entry}"`, () => assert.deepEqual(parseCodecPreference(entry), want));
}

const badPrefs: Array<[string, RegExp]> = [
  ['G729', /not supported/],
  ['', /name\[\/rate/],
  ['telephone-event', /on its own/],
  ['L16/44100', /8000, 16000, 48000/],
  ['PCMU/16000', /8000 Hz only/],
  ['opus/48000/1', /2 channel/],
  ['PCMU/abc', /not a number/],
  ['PCMU/8000/1/2', /name\[\/rate/],
];

for (const [entry, message] of badPrefs) {
  test(`preference "${entry}" is SDP_CONFIG`, () => {
    assert.throws(() => parseCodecPreference(entry), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'SDP_CONFIG' && message.test(e.message));
  });
}

test('preference list drops repeats and rejects an empty list', () => {
  assert.deepEqual(parseCodecPreferences(['PCMU', 'pcmu', 'PCMU/8000', 'PCMA']).map((p) => p.name), ['PCMU', 'PCMA']);
  assert.throws(() => parseCodecPreferences([]), { code: 'SDP_CONFIG' });
});

const p = (pt: number, encoding: string | undefined, clockRate: number | undefined, channels = 1, fmtp?: string): RtpPayload => ({
  pt, encoding, clockRate, channels, fmtp, rtpmap: true,
});

const matches: Array<[string, RtpPayload, string, boolean]> = [
  ['case-insensitive name', p(0, 'pcmu', 8000), 'PCMU', true],
  ['PCMA is not PCMU', p(8, 'PCMA', 8000), 'PCMU', false],
  ['G722 at its SDP rate', p(9, 'G722', 8000), 'G722', true],
  ['G722 written at 16000 is not G.722 as RFC 3551 defines it', p(9, 'G722', 16000), 'G722', false],
  ['L16 any rate', p(97, 'L16', 48000), 'L16', true],
  ['L16 wrong rate', p(97, 'L16', 8000), 'L16/16000', false],
  ['L16 stereo', p(97, 'L16', 16000, 2), 'L16', false],
  ['L16 at 44100 (static 11)', p(11, 'L16', 44100), 'L16', false],
  ['opus/48000/2', p(111, 'opus', 48000, 2), 'opus', true],
  ['opus written without channels', p(111, 'opus', 48000, 1), 'opus', true],
  ['opus at 16000 is not opus', p(111, 'opus', 16000, 2), 'opus', false],
  ['stereo PCMU', p(0, 'PCMU', 8000, 2), 'PCMU', false],
  ['unknown dynamic type', p(96, undefined, undefined), 'PCMU', false],
];

for (const [name, payload, pref, want] of matches) {
  test(`match: ${name}`, () => assert.equal(matchesPreference(payload, parseCodecPreference(pref)), want));
}

const offered = [p(111, 'opus', 48000, 2), p(9, 'G722', 8000), p(0, 'PCMU', 8000), p(8, 'PCMA', 8000), p(101, 'telephone-event', 8000)];

const choices: Array<[string, string[], 'offerer' | 'local', number | undefined]> = [
  ['offerer order', ['PCMA', 'PCMU', 'opus'], 'offerer', 111],
  ['our order', ['PCMA', 'PCMU', 'opus'], 'local', 8],
  ['offerer order among ours only', ['PCMA', 'PCMU'], 'offerer', 0],
  ['nothing in common', ['L16'], 'offerer', undefined],
];

for (const [name, list, policy, pt] of choices) {
  test(`choose codec: ${name}`, () => assert.equal(chooseCodec(offered, parseCodecPreferences(list), policy)?.payload.pt, pt));
}

const events = [p(110, 'telephone-event', 48000), p(126, 'telephone-event', 8000), p(127, 'TELEPHONE-EVENT', 16000)];

const teCases: Array<[string, RtpPayload[], number, boolean, number | undefined]> = [
  ['same rate 48000', events, 48000, true, 110],
  ['same rate 8000', events, 8000, true, 126],
  ['same rate, upper-case name', events, 16000, false, 127],
  ['fallback to 8000', [p(126, 'telephone-event', 8000)], 48000, true, 126],
  ['no fallback', [p(126, 'telephone-event', 8000)], 48000, false, undefined],
  ['no fallback from 8000 to 48000', [p(110, 'telephone-event', 48000)], 8000, true, undefined],
  ['none offered', [p(0, 'PCMU', 8000)], 8000, true, undefined],
];

for (const [name, list, rate, fallback, pt] of teCases) {
  test(`telephone-event: ${name}`, () => assert.equal(chooseTelephoneEvent(list, rate, fallback)?.pt, pt));
}

const ptimes: Array<[string, number | undefined, number | undefined, number]> = [
  ['no ptime: ours', undefined, undefined, 20],
  ['offered 30', 30, undefined, 30],
  ['offered 10', 10, undefined, 10],
  ['offered 25 is not ours', 25, undefined, 20],
  ['offered 30 above maxptime 20', 30, 20, 20],
  ['maxptime 10 below our default', undefined, 10, 10],
  ['maxptime 5 below all we do', undefined, 5, 20],
  ['fractional', 22.5, undefined, 20],
];

for (const [name, offeredPtime, maxptime, want] of ptimes) {
  test(`ptime: ${name}`, () => assert.equal(choosePtime(offeredPtime, maxptime, { ptime: 20, ptimes: [10, 20, 30, 40, 60] }), want));
}
