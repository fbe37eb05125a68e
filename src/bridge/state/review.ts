import { UnknownItemError } from '../../errors.js';
import { withHistory } from './records.js';
import type { StateStore } from './state-store.js';

/**
 * A person's reject: the book leaves review, nothing is written to ABS, and no re-check brings it
 * back (`abs-bridge match <itemId>` tries again when asked).
 */
export async function rejectItem(store: StateStore, itemId: string): Promise<void> {
  const record = await store.getItem(itemId);
  if (!record) throw new UnknownItemError(itemId);
  const now = new Date().toISOString();
  await store.putItem(
    withHistory(
      { ...record, decision: 'reject', reason: 'rejected by a person', updatedAt: now, recheck: undefined },
      { at: now, action: 'rejected', note: 'rejected by a person' },
    ),
  );
}
