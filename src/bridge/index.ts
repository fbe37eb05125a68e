/**
 * The bridge: triggers, queue, pipeline, apply without loops or clobbering, review, undo, backfill.
 * Rooms: `service/` (the facade), `triggers/`, `pipeline/`, `state/`, `reports/`; src/app builds it.
 */
export type { AbsItem, BridgeAbs, BridgeListener, BridgeListenerEvents, BridgeMatcher } from './ports.js';
export type { Bridge, BridgeParts, BridgeTiming } from './service/parts.js';
export type * from './service/types.js';
export { openStateStore, StateStore, stateUrlOf } from './state/state-store.js';
export type { BackfillEvent, BackfillMode, BackfillReport } from './triggers/backfill.js';
export type { CatchUpReport } from './triggers/catch-up.js';
