/**
 * Provisioning of the jambonz-compatible API: the default account (sid, API key, webhook secret), the
 * applications and phone numbers from the config file and the REST API, persisted in the data directory.
 */
export { JambonzPlatformError, type JambonzPlatformErrorCode } from './platform-error.ts';
export {
  ACCOUNT_FILE, loadCredentials, newWebhookSecret, regenerateWebhookSecret, type AccountCredentials, type CredentialOptions,
} from './credentials.ts';
export { readJsonFile, writeJsonFileAtomic, type JsonRead } from './json-file.ts';
export { API_KEYS_FILE, ApiKeyStore, type StoredApiKey } from './api-keys.ts';
export {
  applicationView, isAbsoluteHookUrl, normalizeNumber, parseAppJson, parseApplicationChanges, parseHook,
  parsePhoneNumberCreate, parsePhoneNumberUpdate, phoneNumberView, type ApplicationChanges, type Parsed,
  type PhoneNumberChanges, type ResourceSource, type StoredApplication, type StoredPhoneNumber,
} from './resources.ts';
export {
  PROVISIONING_FILE, ProvisioningStore, nameBasedSid, type ProvisioningEvents, type ProvisioningStoreOptions, type StoreResult,
} from './provisioning-store.ts';
