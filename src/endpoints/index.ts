/**
 * The endpoints room: protocols adapted to core's channels. Outside src/endpoints/, import only from here.
 */
export * from './sip/index.ts';
