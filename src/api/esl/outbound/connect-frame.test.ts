import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelSnapshot } from '../../../core/index.ts';
import { connectFrame } from './connect-frame.ts';

const snapshot: ChannelSnapshot = {
  uuid: 'u-1', name: 'sip/1000@10.0.0.5', endpoint: 'sip', direction: 'inbound', state: 'routing',
  caller: { number: '1000', name: 'Alice Smith' }, callee: { number: '', name: '' }, destination: '5000',
  variables: { socket_host: '127.0.0.1' }, times: { created: 1_714_559_695_901 }, held: false,
};

describe('outbound connect frame (specs/esl.md §3.2)', () => {
  it('is the URL-encoded CHANNEL_DATA event with the reply headers last, header-only', () => {
    const frame = connectFrame([['Event-Name', 'CHANNEL_DATA'], ['Event-Sequence', '7']], snapshot, { async: true, full: false });
    const profile = (p: string): string => [
      `${p}Direction: inbound`, `${p}Logical-Direction: inbound`, `${p}Dialplan: XML`, `${p}Caller-ID-Name: Alice%20Smith`,
      `${p}Caller-ID-Number: 1000`, `${p}Orig-Caller-ID-Name: Alice%20Smith`, `${p}Orig-Caller-ID-Number: 1000`, `${p}ANI: 1000`,
      `${p}Destination-Number: 5000`, `${p}Unique-ID: u-1`, `${p}Source: mod_sofia`, `${p}Context: default`,
      `${p}Channel-Name: sip/1000%4010.0.0.5`, `${p}Profile-Index: 1`, `${p}Profile-Created-Time: 1714559695901000`,
      `${p}Channel-Created-Time: 1714559695901000`, `${p}Channel-Answered-Time: 0`, `${p}Channel-Progress-Time: 0`,
      `${p}Channel-Progress-Media-Time: 0`, `${p}Channel-Hangup-Time: 0`, `${p}Channel-Transfer-Time: 0`,
      `${p}Channel-Resurrect-Time: 0`, `${p}Channel-Bridged-Time: 0`, `${p}Channel-Last-Hold: 0`, `${p}Channel-Hold-Accum: 0`,
      `${p}Screen-Bit: true`, `${p}Privacy-Hide-Name: false`, `${p}Privacy-Hide-Number: false`,
    ].join('\n');
    assert.equal(frame, [
      'Event-Name: CHANNEL_DATA', 'Event-Sequence: 7', profile('Channel-'),
      'Channel-State: CS_ROUTING', 'Channel-Call-State: RINGING', 'Channel-State-Number: 2', 'Channel-Name: sip/1000%4010.0.0.5',
      'Unique-ID: u-1', 'Call-Direction: inbound', 'Presence-Call-Direction: inbound', 'Channel-HIT-Dialplan: true',
      'Channel-Call-UUID: u-1', 'Answer-State: ringing', profile('Caller-'),
      'variable_direction: inbound', 'variable_uuid: u-1', 'variable_call_uuid: u-1', 'variable_channel_name: sip/1000%4010.0.0.5',
      'variable_caller_id_number: 1000', 'variable_caller_id_name: Alice%20Smith', 'variable_destination_number: 5000',
      'variable_socket_host: 127.0.0.1',
      'Content-Type: command/reply', 'Reply-Text: %2BOK%0A', 'Socket-Mode: async', 'Control: single-channel', '', '',
    ].join('\n'));
  });

  it('static and full', () => {
    const frame = connectFrame([['Event-Name', 'CHANNEL_DATA']], snapshot, { async: false, full: true });
    assert.ok(frame.endsWith('\nSocket-Mode: static\nControl: full\n\n'));
    assert.ok(!frame.includes('Content-Length'));
  });
});
