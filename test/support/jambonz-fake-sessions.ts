/**
 * A SessionManager that records what the platform side asks of it: inbound calls handed over, REST
 * create-call requests (answered 201 with a new live call), live-call updates (answered 202, 200 for
 * sip_request, 422 once the call is completed).
 */
import { randomUUID } from 'node:crypto';
import type { Channel } from '../../src/core/index.ts';
import type {
  CreateCallRequest, JambonzAccount, JambonzApplication, LiveCall, RestOutcome, SessionManager,
} from '../../src/api/jambonz/index.ts';

export class FakeLiveCall implements LiveCall {
  readonly callSid: string;
  readonly accountSid: string;
  readonly updates: Record<string, unknown>[] = [];
  attrs: Record<string, unknown>;
  onGone?: () => void;

  constructor(accountSid: string, attrs: Record<string, unknown>) {
    this.callSid = randomUUID();
    this.accountSid = accountSid;
    this.attrs = { call_sid: this.callSid, account_sid: accountSid, call_status: 'in-progress', ...attrs };
  }

  attributes(): Record<string, unknown> {
    return { ...this.attrs };
  }

  update(body: Record<string, unknown>): Promise<RestOutcome> {
    this.updates.push(body);
    if (this.attrs['call_status'] === 'completed') return Promise.resolve({ status: 422, body: { msg: 'call session is gone' } });
    if (body['call_status'] === 'completed') {
      this.attrs['call_status'] = 'completed';
      this.onGone?.();
      return Promise.resolve({ status: 202 });
    }
    if (body['sip_request'] !== undefined) return Promise.resolve({ status: 200, body: { status: 200, reason: 'OK' } });
    return Promise.resolve({ status: 202 });
  }
}

export class FakeSessions implements SessionManager {
  readonly inbound: { channel: Channel; application: JambonzApplication; account: JambonzAccount }[] = [];
  readonly created: CreateCallRequest[] = [];
  readonly calls = new Map<string, FakeLiveCall>();
  closed = 0;

  startInbound(channel: Channel, application: JambonzApplication, account: JambonzAccount): void {
    this.inbound.push({ channel, application, account });
  }

  createCall(request: CreateCallRequest): Promise<RestOutcome> {
    this.created.push(request);
    const body = request.body;
    const to = body['to'] as Record<string, unknown>;
    const call = this.add(request.account.account_sid, {
      direction: 'outbound', from: body['from'], to: to['number'] ?? to['sipUri'] ?? to['name'],
    });
    return Promise.resolve({ status: 201, body: { sid: call.callSid, callId: `${call.callSid}@test` } });
  }

  add(accountSid: string, attrs: Record<string, unknown>): FakeLiveCall {
    const call = new FakeLiveCall(accountSid, attrs);
    call.onGone = () => this.calls.delete(call.callSid);
    this.calls.set(call.callSid, call);
    return call;
  }

  get(callSid: string): LiveCall | undefined {
    return this.calls.get(callSid);
  }

  list(accountSid: string): LiveCall[] {
    return [...this.calls.values()].filter((c) => c.accountSid === accountSid);
  }

  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}
