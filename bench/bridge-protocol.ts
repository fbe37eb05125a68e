/** Constants and messages shared by the bridge bench's worker and its servers process. */
import type { FolderSpec } from '../mocks/fake-abs/index.js';

export const LATENCY_MS = 100;
export const JITTER_MS = 20;
/** Requests per second each upstream allows (and the bridge is configured with). */
export const LIMITS = { alpha: 150, beta: 200 };

export type ServerMessage =
  | { type: 'addItems'; specs: FolderSpec[] }
  | { type: 'addItem'; spec: FolderSpec }
  | { type: 'stats' }
  | { type: 'stop' };
