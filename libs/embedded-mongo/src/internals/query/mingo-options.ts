import { Options } from 'mingo/types';

/** Options for every mingo call: JavaScript execution (`$where`, `$function`) is off. */
export const MINGO_OPTIONS: Partial<Options> = { scriptEnabled: false };
