/** The bridge: triggers, queue, pipeline, apply without loops or clobbering, review, undo, backfill. */

export type { AbsItem, BridgeAbs, BridgeListener, BridgeListenerEvents } from './ports.js';
export { type Bridge, type BridgeDeps, type BridgeOptions, createBridge } from './service/bridge.js';
export type * from './service/types.js';
export { openStateStore, StateStore, stateUrlOf } from './state/state-store.js';
export type { BackfillEvent, BackfillMode, BackfillReport } from './triggers/backfill.js';
export type { CatchUpReport } from './triggers/catch-up.js';
