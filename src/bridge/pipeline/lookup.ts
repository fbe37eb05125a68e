import type { AbsValues, WritableField } from '../../abs/stored-form.js';
import type { Config } from '../../config/schema.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import type { LookupContext } from '../../domain/lookup.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import type { AbsItem } from '../ports.js';
import type { MatchHint } from '../service/types.js';
import type { BridgeItemRecord } from '../state/state-store.js';
import { listFolder, lookupContextOf, ownSidecars } from './item-context.js';
import { lookupForLibrary } from './library-policy.js';
import type { PipelineDeps, ProcessRequest } from './types.js';

/**
 * Context → aggregate: the item's lookup context (ABS values, its files, a person's hint) asked of
 * the providers, with locked fields held and the library's own provider choice applied.
 */
export async function lookupItem(
  deps: Pick<PipelineDeps, 'config' | 'matcher'>,
  item: AbsItem,
  folder: string | null,
  current: AbsValues,
  req: ProcessRequest,
  record: BridgeItemRecord | null,
  /** The item's library's bridge settings (library-policy.ts). */
  bridge: Config['bridge'],
): Promise<AggregatedResult> {
  const locked: Record<string, unknown> = {};
  for (const [field, policy] of Object.entries(bridge.fieldPolicy)) {
    const value = current[field as WritableField];
    if (policy === 'locked' && value !== undefined && value !== null) locked[field] = value;
  }
  const evidence = folder
    ? { record, folderFiles: await listFolder(folder), ownFiles: await ownSidecars(record?.sidecars) }
    : { record };
  // A library may name its own network providers and marketplace region (library-policy.ts).
  const lookup = lookupForLibrary(deps.config, item.libraryId);
  const ctx = withHint(lookupContextOf(item, folder, evidence), req.hint);
  const only = lookup.networkProviders
    ? [...deps.matcher.localProviderIds, ...lookup.networkProviders]
    : undefined;
  return deps.matcher.aggregate(lookup.region ? { ...ctx, region: lookup.region } : ctx, {
    locked: locked as PartialMetadata,
    ...(req.refresh ? { refresh: true } : {}),
    ...(req.clocks ? { clocks: req.clocks } : {}),
    ...(only ? { only } : {}),
  });
}

/** The context with a person's title/author or ASIN in place of ABS's. */
function withHint(ctx: LookupContext, hint: MatchHint | undefined): LookupContext {
  if (!hint) return ctx;
  return {
    ...ctx,
    ...(hint.title ? { title: hint.title, subtitle: undefined } : {}),
    ...(hint.author ? { authors: [hint.author] } : {}),
    ...(hint.asin ? { asin: hint.asin, isbn: undefined } : {}),
  };
}
