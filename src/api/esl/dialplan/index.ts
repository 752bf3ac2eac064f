/**
 * The dialplan of the configuration file (compatibility source: FreeSWITCH mod_dialplan_xml without
 * XML): contexts of extensions with conditions, actions and anti-actions; the pure hunter, the runner on
 * live calls, and the `execute_extension` app.
 */
export {
  huntDialplan, expandSimple, substituteCaptures, CALLER_FIELDS,
  type BreakMode, type CallerField, type DialplanAction, type DialplanCondition, type DialplanContexts, type DialplanExtension,
  type HuntInput, type HuntResult, type HuntStep,
} from './hunt.ts';
export { ConfigDialplan, callerFields, type DialplanOptions } from './config-dialplan.ts';
export { attachDialplan, dialplanOf } from './registry.ts';
export { executeExtensionApp } from './execute-extension.ts';
