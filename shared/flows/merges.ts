/**
 * The binding a flow runs a queue batch's triggers (or a pass's batch) on: the jobs' D1 calls share
 * round trips, and the writes they make alike are merged into one statement each
 * (../db/coalesced-d1.ts): timer completions, arms and disarms, message inserts and cancels.
 */
import { coalescedD1, type Merge } from '../db/coalesced-d1';
import { insertMessagesMerge } from '../delivery/insert-many';
import { cancelPendingMerge } from '../delivery/outbox';
import { completionMerge, timerMerges } from './timers';

export const flowMerges: readonly Merge[] = [completionMerge, ...timerMerges, insertMessagesMerge, cancelPendingMerge];

export const flowBinding = (d1: D1Database): D1Database => coalescedD1(d1, { merges: flowMerges });
