/**
 * vericode's core library: the use cases the CLI is a thin layer over. Each takes a
 * `CoreContext` (`{ store, clock, random }`), returns plain data and never prints;
 * failures are the error classes of `./errors.js`, each with a stable `code`.
 */
export * from './errors.js';
export * from './ports.js';
export type { CoreContext } from './context.js';
export * from './duration.js';
export * from './prn.js';
export * from './time.js';
export * from './audit.js';
export * from './organizations.js';
export * from './verification-codes.js';
export * from './codes/verification-code-format.js';
export * from './one-time-codes/index.js';
