export * from './clock.ts';
export * from './errors.ts';
export * from './log.ts';
export * from './typed-events.ts';
export * from './ids.ts';
