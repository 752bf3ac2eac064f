/**
 * Media in worker threads (DESIGN.md "Media"): each worker owns a slice of the RTP port range, its own
 * media clock and a MediaCommandHost (session/media-commands.ts); the core's thread holds RemoteSession
 * and RemoteRoom handles that post plain-data commands and receive events, and MediaWorkers places new
 * sessions. Legs that are bridged or in one room must share a worker (relay and mixing stay inside one
 * thread); joining legs of different workers is done above this room by an RTP trunk between two
 * sessions, one in each worker.
 */
export type { LogLevel } from './worker-log.ts';
export type { FromWorker, MediaWorkerData, ToWorker } from './worker-protocol.ts';
export { MediaWorker, WORKER_EXITED, type MediaEventTarget, type WorkerLoad } from './media-worker.ts';
export { MediaWorkers, type MediaWorkersOptions } from './media-workers.ts';
export { RemoteSession, mediaId } from './remote-session.ts';
export { RemoteRoom } from './remote-room.ts';
