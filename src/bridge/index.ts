/** The bridge: triggers, queue, pipeline, apply without loops or clobbering, review, undo, backfill. */
export type { BackfillEvent, BackfillMode, BackfillReport } from './backfill.js';
export { type Bridge, type BridgeDeps, type BridgeOptions, createBridge } from './bridge.js';
export type { CatchUpReport } from './catch-up.js';
export type { AbsItem, BridgeAbs, BridgeListener, BridgeListenerEvents } from './ports.js';
export type * from './service-types.js';
export { openStateStore, StateStore, stateUrlOf } from './state-store.js';
