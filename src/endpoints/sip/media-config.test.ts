import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfferAnswer } from '../../sdp/index.ts';
import { localMediaOf, sessionConfigOf } from './media-config.ts';

const offer = (extra: string[]) => ['v=0', 'o=- 1 1 IN IP4 10.0.0.2', 's=-', 'c=IN IP4 10.0.0.2', 't=0 0', ...extra, ''].join('\r\n');

test('an answered PCMA + telephone-event/8000 offer configures the session with the peer numbering', () => {
  const oa = new OfferAnswer({ local: localMediaOf('127.0.0.1', 30000, ['PCMU', 'PCMA']) });
  const r = oa.receiveOffer(offer(['m=audio 4000 RTP/AVP 8 96', 'a=rtpmap:96 telephone-event/8000', 'a=ptime:30']));
  assert.ok(r.ok);
  const c = sessionConfigOf(r.media);
  assert.equal(c.codec.name, 'PCMA');
  assert.equal(c.codec.pt, 8);
  assert.equal(c.telephoneEventPt, 96);
  assert.equal(c.ptime, 30);
  assert.equal(c.direction, 'sendrecv');
  assert.deepEqual(c.remote, { address: '10.0.0.2', port: 4000, rtcpPort: 4001 });
});

test('a hold offer (sendonly) makes us recvonly; c=0.0.0.0 leaves the remote to latching', () => {
  const oa = new OfferAnswer({ local: localMediaOf('127.0.0.1', 30000, ['PCMU']) });
  const r = oa.receiveOffer(offer(['m=audio 4000 RTP/AVP 0', 'a=sendonly']).replace('c=IN IP4 10.0.0.2', 'c=IN IP4 0.0.0.0'));
  assert.ok(r.ok);
  const c = sessionConfigOf(r.media);
  assert.equal(c.direction, 'recvonly');
  assert.equal(c.remote, undefined);
  assert.equal(c.telephoneEventPt, undefined);
  assert.equal(r.media.remoteHold, true);
});
