/**
 * Case counts of the randomized suite: a fast run in `npm test`, the long one with `npm run test:long`
 * (ORDERBELL_LONG=1, passed to the workers as the SUITE_LONG binding). SUITE_SEED fixes the seed of a
 * run so a failure can be replayed; every failing case also prints its own seed.
 */
import { env } from 'cloudflare:workers';

type SuiteEnv = { SUITE_LONG?: string; SUITE_SEED?: string };
const suiteEnv = env as unknown as SuiteEnv;

export const isLong = suiteEnv.SUITE_LONG === '1';

/** `fast` cases in npm test, `long` in the long run. */
export const cases = (fast: number, long: number) => (isLong ? long : fast);

/** The seed of this run: SUITE_SEED when given, else a fresh one that failures report. */
export const suiteSeed = suiteEnv.SUITE_SEED ? Number(suiteEnv.SUITE_SEED) : Math.floor(Math.random() * 2 ** 31);
