/** Background transcription for the `transcribe` verb, `config.transcribe` and `dial.transcribe`. */
export { Transcription, type TranscribedLeg, type TranscriptionOptions } from './transcription.ts';
export { transcribeRequestOf, type TranscribeRequest, type TranscribeParse } from './transcribe-options.ts';
export { configTranscribe, stopBackgroundTranscription } from './background-transcription.ts';
export { isTranscribeStatus, setTranscribeStatus, transcribeStatusOf, type TranscribeStatus } from './running-transcriptions.ts';
