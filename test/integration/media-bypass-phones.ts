/**
 * Test phones for the media bypass tests: a call that follows re-INVITEs (it sends RTP where the latest
 * offer points and answers with its own port, as a softphone does), and audio checks both ways.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:dgram';
import { PhoneCall, offerSdp, type ReceivedRtp, type TestPhone } from '../support/test-phone.ts';
import { until } from '../support/wait.ts';

export const portOf = (sdp: string | undefined): number => Number(/m=audio (\d+)/.exec(sdp ?? '')?.[1] ?? 0);

/** A phone call that follows re-INVITEs: it sends RTP where the latest offer says and answers with its own port. */
export class FollowingCall {
  readonly call: PhoneCall;
  readonly localPort: number;
  readonly offers: string[] = [];
  /** Refuse re-INVITEs with 488 (a party that will not take the other's SDP). */
  refuse = false;

  constructor(call: PhoneCall) {
    this.call = call;
    this.localPort = portOf(call.dialog.localSession?.body.toString('utf8'));
    call.dialog.on('reinvite', (ev) => {
      const offer = ev.offer?.body.toString('utf8') ?? '';
      this.offers.push(offer);
      if (this.refuse) {
        ev.reject(488);
        return;
      }
      const address = /c=IN IP4 ([0-9.]+)/.exec(offer)?.[1];
      const port = portOf(offer);
      if (address && port > 0) {
        call.remote.address = address;
        call.remote.port = port;
      }
      ev.accept({ body: offerSdp(this.localPort), contentType: 'application/sdp' });
    });
  }

  /** Moves to another RTP socket and offers it in a re-INVITE; resolves with the answer's port. */
  async reinviteWith(port: number): Promise<number> {
    const r = await this.call.dialog.reinvite({ body: offerSdp(port), contentType: 'application/sdp' });
    assert.ok(r.ok, 're-INVITE answered');
    const answer = r.answer?.body.toString('utf8') ?? '';
    this.call.remote.port = portOf(answer);
    return this.call.remote.port;
  }
}

/** Answers INVITEs like TestPhone.answerCalls, following re-INVITEs from the first moment. */
export function answerFollowing(phone: TestPhone, calls: FollowingCall[]): void {
  phone.stack.handle({
    onInvite: (invite) => {
      const received: ReceivedRtp[] = [];
      void phone.rtpSocket(received).then(async ({ socket, port }: { socket: Socket; port: number }) => {
        const offer = invite.offer?.body.toString('utf8') ?? '';
        const remote = { address: /c=IN IP4 ([0-9.]+)/.exec(offer)?.[1] ?? '127.0.0.1', port: portOf(offer) };
        const dialog = await invite.accept({ body: offerSdp(port), contentType: 'application/sdp' });
        calls.push(new FollowingCall(new PhoneCall(dialog, remote, socket, received)));
      });
    },
  });
}

/** Both directions heard: each side's indexed packets reach the other (at least 20 of 25). */
export async function audioBothWays(a: PhoneCall, b: PhoneCall, fillA: number, fillB: number): Promise<void> {
  await Promise.all([a.sendIndexed(25, fillA), b.sendIndexed(25, fillB)]);
  await until('audio both ways', () => b.echoedIndices(fillA).size >= 20 && a.echoedIndices(fillB).size >= 20, 2000, 20);
}
