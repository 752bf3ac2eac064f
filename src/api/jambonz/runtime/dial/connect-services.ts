/**
 * What the connecting verbs (dial, conference, enqueue / dequeue; specs/jambonz.md §3.A) need beyond a
 * verb's usual services: the switch (originate, bridge, conferences, queues), the running session's
 * account, application and application connection, and a way to give another leg its own application.
 * The session manager binds one to each session (connectOf finds it from the verb's services).
 */
import type { Switch } from '../../../../core/index.ts';
import type { Hook, HookRequestType, JambonzAccount, JambonzApplication, RestOutcome } from '../../contract.ts';
import type { CallInfo } from '../call-info.ts';
import type { SessionInit } from '../session-types.ts';
import type { StatusReporter } from '../status-reporter.ts';
import type { ValidationResult, VerbData } from '../verb-data.ts';
import type { VerbHandler, VerbServices } from '../verbs/verb.ts';
import type { ActiveDials } from './active-dials.ts';
import type { CarrierDirectory } from './carrier-directory.ts';

export interface ConnectServices {
  readonly sw: Switch;
  readonly account: JambonzAccount;
  readonly application: JambonzApplication | undefined;
  /** The session's call hook (relative hooks of a leg's own application resolve against it). */
  readonly callHook: Hook | undefined;
  /** Dials in progress of every session, by the A leg's call sid (commands and REST reach them). */
  readonly dials: ActiveDials;
  /** Phone-number targets through a configured carrier. */
  readonly carriers: CarrierDirectory | undefined;
  /** Sends a hook request on this session's application connection and resolves with its reply. */
  request(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown>;
  validate(payload: unknown): ValidationResult;
  /** The verb table. */
  verb(name: string): VerbHandler | undefined;
  /** Reports the call status of another leg (a dial's B leg) to this session's application. */
  childStatus(info: CallInfo): StatusReporter;
  /** Places a new call as REST create-call does (the `dial` command), for this session's account. */
  createCall(body: Record<string, unknown>): Promise<RestOutcome>;
  /** Starts, registers and runs a session with an application on another leg. */
  startSession(init: SessionInit): void;
  /** Replaces this session's verb stack (killing the running verb): a REFER on a dial's B leg. */
  replaceApplication?(verbs: VerbData[]): void;
}

const bound = new WeakMap<VerbServices, ConnectServices>();

export function bindConnect(services: VerbServices, connect: ConnectServices): void {
  bound.set(services, connect);
}

/** The connect services of a session; undefined when the runtime was built without them. */
export function connectOf(services: VerbServices): ConnectServices | undefined {
  return bound.get(services);
}
