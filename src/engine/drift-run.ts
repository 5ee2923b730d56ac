/**
 * `drift` end to end: read the whole Region (every listed kind with its tags, and the memberships and
 * shares of every stack and image — not only the declared ones, or unmanaged associations would go
 * unseen), resolve selectors, and compare (pure, core/drift.ts). Only read operations are called.
 */
import type { AppStreamApi } from "../aws/api.js";
import { systemClock, type Clock } from "../aws/retry.js";
import { computeDrift, type DriftReport } from "../core/drift.js";
import { resolveSelectors } from "../core/selectors.js";
import type { KindName, LiveResource, ManifestDoc, ReadContext } from "../kinds/contract.js";
import { DERIVED_KINDS, LISTED_KINDS } from "../kinds/index.js";
import { kindOf } from "../aws/errors.js";
import { fieldHolders } from "../kinds/reads.js";
import { mapLimit } from "./pool.js";
import { readLive, retryingApi, type LiveState } from "./read.js";
import { confirmTags } from "./tag-read.js";

export interface EstateReadOptions {
  api: AppStreamApi;
  region: string;
  concurrency: number;
  /** The set whose ownership tag marks "ours" (only for readLive's bookkeeping; all tags are read). */
  set: string;
  /** Read the public/shared image catalog too (image selectors). */
  catalog: boolean;
  /** Listed kinds to read; all when absent. Derived kinds follow their owners. */
  kinds?: ReadonlySet<KindName>;
  /** For drift: the manifest, whose fields say which kinds a failing read may skip (`declaredBy`). */
  manifest?: ManifestDoc;
  clock?: Clock;
  signal?: AbortSignal;
  /** Where notes go (stderr). */
  note?: (message: string) => void;
}

/**
 * Reads everything in the Region: listed kinds (with tags of every taggable resource), then the
 * associations of every stack and the permissions of every private image.
 */
export async function readEstate(o: EstateReadOptions): Promise<LiveState> {
  const listed = new Set<KindName>(LISTED_KINDS.map((k) => k.kind).filter((k) => !o.kinds || o.kinds.has(k)));
  const base = await readLive({
    api: o.api, region: o.region, concurrency: o.concurrency, kinds: listed, declared: new Set(), allTags: true,
    set: o.set, catalog: o.catalog, ...(o.clock ? { clock: o.clock } : {}), ...(o.signal ? { signal: o.signal } : {}),
    ...(o.note ? { note: o.note } : {}),
  });
  const ctx: ReadContext = {
    api: retryingApi(o.api, o.clock ?? systemClock, o.signal),
    region: o.region,
    map: (items, fn) => mapLimit(items, o.concurrency, (item) => fn(item), o.signal ? { signal: o.signal } : {}),
  };
  const prior = { of: (kind: KindName): readonly LiveResource[] => base.resources.filter((r) => r.kind === kind) };
  const holders = o.manifest ? fieldHolders(o.manifest) : undefined;
  const derived = await Promise.all(DERIVED_KINDS.map(async (k) => {
    try {
      return await k.read(ctx, prior);
    } catch (err) {
      // A kind declared by a field nobody writes is read only to list what is unmanaged: credentials
      // without that service's permission (Application Auto Scaling, EventBridge Scheduler) skip it.
      if (!k.declaredBy || holders?.get(k.kind)?.size || kindOf(err) !== "access-denied") throw err;
      o.note?.(`${k.noun}s are not read: these credentials may not (${err instanceof Error ? err.message : String(err)})`);
      return [];
    }
  }));
  return { resources: [...base.resources, ...derived.flat()], catalog: base.catalog, indexedTags: base.indexedTags };
}

export interface DriftRunOptions {
  api: AppStreamApi;
  region: string;
  endpoint?: string;
  manifest: ManifestDoc;
  concurrency: number;
  ignored?: (address: string, field?: string) => boolean;
  clock?: Clock;
  signal?: AbortSignal;
  now: Date;
  /** Where notes go (stderr). */
  note?: (message: string) => void;
}

function hasSelectors(m: ManifestDoc): boolean {
  return [...(m.fleets ?? []), ...(m.imageBuilders ?? [])].some((e) => e.imageSelector !== undefined);
}

/** Reads the Region and computes the drift report of the manifest. */
export async function runDrift(o: DriftRunOptions): Promise<{ report: DriftReport; live: LiveState }> {
  const live = await readEstate({
    api: o.api, region: o.region, concurrency: o.concurrency, set: o.manifest.metadata.name, catalog: hasSelectors(o.manifest), manifest: o.manifest,
    ...(o.clock ? { clock: o.clock } : {}), ...(o.signal ? { signal: o.signal } : {}), ...(o.note ? { note: o.note } : {}),
  });
  const { manifest } = resolveSelectors(o.manifest, live.catalog);
  const compute = () => computeDrift({
    manifest, live: live.resources, region: o.region, createdAt: o.now.toISOString(),
    ...(o.endpoint ? { endpoint: o.endpoint } : {}), ...(o.ignored ? { ignored: o.ignored } : {}),
  });
  let report = compute();
  // A lagging tagging index must not report (or `drift --write` copy) tags a resource no longer has.
  const ctx: ReadContext = {
    api: retryingApi(o.api, o.clock ?? systemClock, o.signal), region: o.region,
    map: (items, fn) => mapLimit(items, o.concurrency, (item) => fn(item), o.signal ? { signal: o.signal } : {}),
  };
  if (await confirmTags(ctx, live.resources, report.changed.map((c) => c.address), live.indexedTags)) report = compute();
  return { report, live };
}
