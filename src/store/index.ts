/** Storage interfaces with their memory implementations: call detail records. */
export type { CdrDirection, CdrMediaStats, CdrParty, CdrRecord } from './cdr-record.ts';
export { DEFAULT_CDR_LIST_LIMIT, matchesCdrFilter, type CdrFilter, type CdrStore } from './cdr-store.ts';
export { MemoryCdrStore, type MemoryCdrStoreOptions } from './memory-cdr-store.ts';
export { StoreError, type StoreErrorCode } from './store-error.ts';
