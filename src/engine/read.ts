/**
 * Reads the live estate with as few calls as the API allows: one paginated listing per kind, tags of
 * the taggable resources that matter (a page of the tagging index for many, tag-read.ts), associations
 * and permissions per owning stack or image, and the whole image catalog only when a selector needs it.
 * Reads are retried on throttling.
 */
import type { AppStreamApi } from "../aws/api.js";
import { callAws } from "../aws/call.js";
import { systemClock, type Clock } from "../aws/retry.js";
import { OWNER_TAG } from "../core/desired.js";
import type { ReadContext } from "../kinds/contract.js";
import { ALL_KINDS, DERIVED_KINDS, LISTED_KINDS } from "../kinds/index.js";
import type { CatalogImage, KindName, LiveIndex, LiveResource } from "../model/resource.js";
import { mapLimit } from "./pool.js";
import { readTags, type Note } from "./tag-read.js";

export interface ReadOptions {
  api: AppStreamApi;
  region: string;
  /** Parallel read calls (bounded: AppStream's API rates are low). */
  concurrency: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Kinds to read; all when absent (`--target` narrows it). */
  kinds?: ReadonlySet<KindName>;
  /** Addresses the manifest declares: their tags are always read. */
  declared: ReadonlySet<string>;
  /** Read tags of every live taggable resource (ownership for --prune, unmanaged for drift). */
  allTags: boolean;
  /** The manifest's set name, to tell owned resources apart. */
  set: string;
  /** Read every image (PUBLIC, PRIVATE, SHARED) for image selectors. */
  catalog: boolean;
  /** Where notes go, e.g. that tags are read one at a time. */
  note?: Note;
}

export interface LiveState {
  resources: LiveResource[];
  catalog: CatalogImage[];
  /**
   * Addresses whose tags came from the eventually consistent tagging index: confirm them
   * (tag-read.ts `confirmTags`) before changing their tags or deciding on their ownership.
   */
  indexedTags: Set<string>;
}

/** An api whose calls retry throttling and transient errors and fail as AppErrors (aws/call.ts). */
export function retryingApi(api: AppStreamApi, clock: Clock, signal?: AbortSignal): AppStreamApi {
  return {
    ...api,
    call: (op, input) => callAws({ api, clock, ...(signal ? { signal } : {}) }, op, input),
  };
}

function index(resources: readonly LiveResource[]): LiveIndex {
  return { of: (kind) => resources.filter((r) => r.kind === kind) };
}

export async function readLive(o: ReadOptions): Promise<LiveState> {
  const api = retryingApi(o.api, o.clock ?? systemClock, o.signal);
  const ctx: ReadContext = {
    api,
    region: o.region,
    map: (items, fn) => mapLimit(items, o.concurrency, (item) => fn(item), o.signal ? { signal: o.signal } : {}),
  };
  const wanted = (k: KindName) => !o.kinds || o.kinds.has(k);
  const listed = LISTED_KINDS.filter((k) => wanted(k.kind));
  const catalog: CatalogImage[] = [];
  const lists = await Promise.all(
    listed.map(async (k) => {
      if (!k.catalog || !o.catalog) return k.read(ctx, index([]));
      // One listing of the whole catalog serves both the selectors and the kind's own resources.
      const read = await k.catalog(ctx);
      catalog.push(...read.catalog);
      return read.live;
    }),
  );
  const resources = lists.flat();

  // Tags are never echoed by Describe calls (§10).
  const taggable = new Set(ALL_KINDS.filter((k) => k.taggable).map((k) => k.kind));
  const needTags = resources.filter((r) => r.arn && taggable.has(r.kind) && (o.allTags || o.declared.has(r.address)));
  const indexedTags = await readTags(ctx, needTags, resources, o.note);

  // Memberships and shares only of stacks and images this manifest declares or owns.
  const inScope = resources.filter((r) => o.declared.has(r.address) || r.tags?.[OWNER_TAG] === o.set);
  const prior = index(inScope);
  const derived = await Promise.all(DERIVED_KINDS.filter((k) => wanted(k.kind)).map((k) => k.read(ctx, prior)));
  return { resources: [...resources, ...derived.flat()], catalog, indexedTags };
}
