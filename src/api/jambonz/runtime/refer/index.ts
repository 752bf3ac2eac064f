/**
 * REFER received from the far end (specs/jambonz.md §2.4 "dial referHook"): the `refer_details` of the
 * hook, the hook-then-202-then-NOTIFY flow, and the session-level handling (config / REST `referHook`).
 */
export { referDetails } from './refer-details.ts';
export { refusalStatus, runReferFlow, type ReferFlowDeps, type ReferOutcome } from './refer-flow.ts';
export { handleSessionRefer, watchRefers, type ReferSession } from './session-refer.ts';
