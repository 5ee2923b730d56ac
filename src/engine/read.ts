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
import { kindOf } from "../aws/errors.js";
import { collect } from "../aws/paginate.js";
import type { ReadContext } from "../kinds/contract.js";
import { ALL_KINDS, DERIVED_KINDS, kindNamed, LISTED_KINDS } from "../kinds/index.js";
import type { CatalogImage, KindName, LiveIndex, LiveResource } from "../model/resource.js";
import type { DerivedKindDef } from "../kinds/kind.js";
import { TAG_INDEX_PAGE, TAG_INDEX_TYPES } from "../kinds/tag-index.js";
import { mapLimit } from "./pool.js";
import { readTags, type Note } from "./tag-read.js";

export interface ReadOptions {
  api: AppStreamApi;
  region: string;
  /** Parallel read calls (bounded: AppStream's API rates are low). */
  concurrency: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Kinds to read; all when absent (kinds/reads.ts derives them from the manifest). */
  kinds?: ReadonlySet<KindName>;
  /**
   * Kinds of which only these resources matter (`--target`): read one by one by name where the kind
   * can (`readOne`), instead of listing the estate.
   */
  names?: ReadonlyMap<KindName, readonly string[]>;
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
  /**
   * Of kinds declared by an owner's field (kinds/reads.ts `fieldHolders`), the declared owners to read them
   * per (with the undeclared owned ones --prune deletes); absent, every owner in scope (drift, a saved
   * plan's touched resources).
   */
  holders?: ReadonlyMap<KindName, ReadonlySet<string>>;
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
      const names = o.names?.get(k.kind);
      if (names && k.readOne && !(k.catalog && o.catalog)) return readByName(ctx, k.readOne.bind(k), names);
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
  const derived = await Promise.all(
    DERIVED_KINDS.filter((k) => wanted(k.kind)).map(async (k) => {
      const dropped = k.readsDroppedParents && !o.allTags ? await droppedParents(ctx, resources, o, k) : [];
      // Per owners that write the field, and owners --prune deletes (never those that leave it out).
      const holders = k.declaredBy ? o.holders?.get(k.kind) : undefined;
      if (holders) return k.read(ctx, index(inScope.filter((r) => holders.has(r.address) || (o.allTags && !o.declared.has(r.address)))));
      return k.read(ctx, dropped.length ? index([...inScope, ...dropped]) : prior);
    }),
  );
  return { resources: [...resources, ...derived.flat()], catalog, indexedTags };
}

/** The named resources that exist (a name that is not there reads as absent, as a listing would show it). */
async function readByName(
  ctx: ReadContext, readOne: (ctx: ReadContext, name: string) => Promise<LiveResource | undefined>, names: readonly string[],
): Promise<LiveResource[]> {
  const found = await ctx.map(names, async (name) => {
    try {
      return await readOne(ctx, name);
    } catch (err) {
      if (kindOf(err) === "not-found") return undefined;
      throw err;
    }
  });
  return found.filter((r): r is LiveResource => r !== undefined);
}

/**
 * Parents this set owns that the manifest no longer declares (stacks dropped from it), when it declares
 * owners of the kind's memberships (users): a declared owner's membership of one is the owner's to
 * remove (its field no longer lists it), so it must be read. Their tags are not read without --prune;
 * the tagging index, filtered by the set tag, names them in one call without naming any other. Without
 * tag:GetResources, or while the index lags, they are not seen (docs/RELIABILITY.md, "Memberships of
 * dropped stacks").
 */
async function droppedParents(ctx: ReadContext, resources: readonly LiveResource[], o: ReadOptions, kind: DerivedKindDef): Promise<LiveResource[]> {
  const type = TAG_INDEX_TYPES[kind.readPer];
  const undeclared = resources.filter((r) => r.kind === kind.readPer && r.arn && !o.declared.has(r.address));
  if (!type || !undeclared.length || ![...o.declared].some((a) => a.startsWith(`${kind.ownerKind}/`))) return [];
  let arns: Set<string>;
  try {
    const owned = await collect(async (token) => {
      const out = await ctx.api.call("GetResources", {
        TagFilters: [{ Key: OWNER_TAG, Values: [o.set] }], ResourceTypeFilters: [type], ResourcesPerPage: TAG_INDEX_PAGE,
        ...(token ? { PaginationToken: token } : {}),
      });
      return { items: out.ResourceTagMappingList ?? [], next: out.PaginationToken };
    }, { label: "GetResources" });
    arns = new Set(owned.map((m) => m.ResourceARN ?? ""));
  } catch (err) {
    if (kindOf(err) !== "access-denied") throw err;
    o.note?.(`memberships of ${kindNamed(kind.readPer).noun}s dropped from the manifest are not read: these credentials may not call tag:GetResources`);
    return [];
  }
  return undeclared.filter((r) => arns.has(r.arn!));
}
