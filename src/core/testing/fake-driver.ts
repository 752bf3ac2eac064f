/** A ChannelDriver for tests: logs every call and can refuse, throw or never answer on demand. */
import type { ChannelDriver, DriverHangupOptions, DriverResult, HangupCause, InfoMessage } from '../index.ts';

export type FakeDriverOp = 'ring' | 'progress' | 'answer' | 'hangup' | 'hold' | 'transfer' | 'sendInfo';
export type FakeBehaviour = 'ok' | 'refuse' | 'throw' | 'hang';

export class FakeDriver implements ChannelDriver {
  readonly calls: string[] = [];
  readonly behaviour = new Map<FakeDriverOp, FakeBehaviour>();
  hangups: { cause: HangupCause; options: DriverHangupOptions }[] = [];
  closed = 0;

  async #run(op: FakeDriverOp, label: string): Promise<DriverResult> {
    this.calls.push(label);
    switch (this.behaviour.get(op) ?? 'ok') {
      case 'refuse': return { ok: false, cause: 'CALL_REJECTED', sipStatus: 603, reason: `${op} refused` };
      case 'throw': throw new Error(`${op} exploded`);
      case 'hang': return new Promise<DriverResult>(() => {});
      default: return { ok: true };
    }
  }

  ring(): Promise<DriverResult> { return this.#run('ring', 'ring'); }
  progress(options: { earlyMedia: boolean }): Promise<DriverResult> { return this.#run('progress', `progress:${options.earlyMedia}`); }
  answer(): Promise<DriverResult> { return this.#run('answer', 'answer'); }

  async hangup(cause: HangupCause, options: DriverHangupOptions): Promise<void> {
    this.hangups.push({ cause, options });
    await this.#run('hangup', `hangup:${cause}`);
  }

  hold(on: boolean): Promise<DriverResult> { return this.#run('hold', `hold:${on}`); }
  transfer(target: string): Promise<DriverResult> { return this.#run('transfer', `transfer:${target}`); }
  sendInfo(message: InfoMessage): Promise<DriverResult> { return this.#run('sendInfo', `info:${message.contentType}`); }

  close(): void {
    this.closed++;
  }
}
