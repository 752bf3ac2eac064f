/** Built-in applications: the demo IVR that takes calls no application claims. */
export { BUILTIN_DEMO_HOOK, withBuiltinApps } from './builtin-requestor.ts';
export { DEMO_DESTINATIONS, DEMO_MENU_TEXT, demoIvrReply, demoTarget, newDemoIvrState, spokenDigits, type DemoIvrState } from './demo-ivr.ts';
