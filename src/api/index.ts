/**
 * The API room: surfaces over the call core. Outside src/api/, import only from here.
 */
export * from './demo/index.ts';
export * from './esl/index.ts';
export * from './jambonz/index.ts';
