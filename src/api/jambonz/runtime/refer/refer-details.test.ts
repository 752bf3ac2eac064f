import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referDetails } from './refer-details.ts';

test('refer_details: refer-to, referred-by and user agent when present, X- headers as received', () => {
  assert.deepEqual(referDetails({
    referTo: '<sip:+15551234@carrier.example>', referToUser: '+15551234', referredBy: '<sip:alice@pbx.example>', referredByUser: 'alice',
    headers: { 'Refer-To': '<sip:+15551234@carrier.example>', 'User-Agent': 'phone/1.0', 'X-Ticket': '42', 'x-lower': 'y', Via: 'SIP/2.0/UDP x' },
  }, 'a-sid', 'b-sid'), {
    sip_refer_to: '<sip:+15551234@carrier.example>', refer_to_user: '+15551234', sip_referred_by: '<sip:alice@pbx.example>',
    sip_user_agent: 'phone/1.0', referred_by_user: 'alice', referring_call_sid: 'a-sid', referred_call_sid: 'b-sid', 'X-Ticket': '42', 'x-lower': 'y',
  });
  assert.deepEqual(referDetails({ referTo: '<tel:+4930>', referToUser: '+4930', headers: {} }, 'a', null), {
    sip_refer_to: '<tel:+4930>', refer_to_user: '+4930', referring_call_sid: 'a', referred_call_sid: null,
  });
});
