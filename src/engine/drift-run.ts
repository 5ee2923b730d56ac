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
  /** For drift: the manifest, whose declarations decide whether kinds read only when declared are read. */
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
  const m = o.manifest;
  const onDemand = !m || DERIVED_KINDS.some((k) => k.readWhenDeclared && k.derive(m).length > 0);
  const derived = await Promise.all(DERIVED_KINDS.filter((k) => onDemand || !k.readWhenDeclared).map((k) => k.read(ctx, prior)));
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
