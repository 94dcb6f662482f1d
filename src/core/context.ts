/**
 * What every core use case needs: the open store, a clock and a random source.
 * Callers build it once; tests pass a fixed clock and a seeded random source.
 */
import type { StorePort } from './store-port.js';
import type { Clock, RandomSource } from './ports.js';

export interface CoreContext {
  store: StorePort;
  clock: Clock;
  random: RandomSource;
}
