/**
 * Call recording to local stereo WAV files (specs/jambonz.md §1.6 `record`, §3.A `config.record`): the
 * recorder of one call, the per-session record actions, and the catalog REST lists and serves.
 */
/** The recordings folder's name in the data directory. */
export const RECORDINGS_DIR = 'recordings';

export { CallRecorder, type RecordingMeta, type RecordingStatus } from './call-recorder.ts';
export { RecordingMetaFile } from './recording-meta-file.ts';
export { accountDir, recordingCatalog, type RecordingCatalog } from './recording-catalog.ts';
export { RECORD_ACTIONS, applyRecord, bindRecordingDir, recordRequestOf, recordingDirOf, recorderOf, type RecordRequest } from './session-recorders.ts';
export { joinWavSegments, wavDataOf, wavHeaderOf } from './wav-join.ts';
