/**
 * Registrar (RFC 3261 section 10.3) with its bindings store, and the outbound registration client
 * (section 10.2).
 */
export type { Binding, BindingSource, BindingsStore } from './bindings-store.ts';
export { MemoryBindingsStore, type MemoryBindingsStoreOptions } from './memory-bindings-store.ts';
export { canonicalAor, aorUser } from './aor.ts';
export { bindingKey, contactUriKey, instanceIdOf, regIdOf } from './binding-key.ts';
export {
  planRegister, parseDeltaSeconds, remainingSeconds, type RegisterPolicy, type RegisterRequestFields, type RegisterPlan,
  type BindingChange, type BindingChangeCause,
} from './register-plan.ts';
export {
  Registrar, contactsWithExpires, sortByPreference, type RegistrarOptions, type RegistrarEvents, type BindingEvent,
  type RegisterAuthorization, type RegisterInput, type RegisterResult,
} from './registrar.ts';
export {
  registerInputFromRequest, registerResponse, type RegisterInputResult, type RegisterResponseOptions,
} from './register-response.ts';
export { handleRegister, type RegisterHandlerOptions } from './register-handler.ts';
export { buildRegisterRequest, grantedExpires, type RegisterRequestSpec } from './register-message.ts';
export {
  RegistrationClient, refreshDelayMs, type RegistrationClientOptions, type RegistrationClientEvents,
  type RegistrationState,
} from './registration-client.ts';
