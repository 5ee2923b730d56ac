/**
 * Reads the live estate with as few calls as the API allows: one paginated listing per kind, tags of
 * the taggable resources that matter (a page of the tagging index for many, tag-read.ts), associations
 * and permissions per owning stack or image, and the whole image catalog only when a selector needs it.
 * Reads are retried on throttling.
 */
import type { AppStreamApi } from "../aws/api.js";
import { callAws } from "../aws/call.js";
import { collect } from "../aws/paginate.js";
import { systemClock, type Clock } from "../aws/retry.js";
import { OWNER_TAG } from "../core/desired.js";
import type { CatalogImage } from "../core/selectors.js";
import type { KindName, LiveIndex, LiveResource, ReadContext } from "../kinds/contract.js";
import { normalizeImage } from "../kinds/image.js";
import { TAG_INDEX_PAGE, TAG_INDEX_TYPES } from "../kinds/tag-index.js";
import { kindOf } from "../aws/errors.js";
import { PLANNERS } from "../kinds/index.js";
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
  const listed = PLANNERS.filter((p) => !p.derive && wanted(p.kind));
  const catalog: CatalogImage[] = [];
  const lists = await Promise.all(
    listed.map(async (p) => {
      if (p.kind !== "Image" || !o.catalog) return p.read(ctx, index([]));
      // One listing of every image serves both the selectors and the private images (§13: 25 a page).
      const images = await collect(async (token) => {
        const out = await api.call("DescribeImages", { MaxResults: 25, ...(token ? { NextToken: token } : {}) });
        return { items: out.Images ?? [], next: out.NextToken };
      }, { label: "DescribeImages" });
      for (const i of images) {
        catalog.push({ name: i.Name ?? "", ...(i.State ? { state: i.State } : {}), ...(i.Visibility ? { visibility: i.Visibility } : {}), ...(i.CreatedTime ? { createdTime: i.CreatedTime.getTime() } : {}) });
      }
      return images.filter((i) => i.Visibility === "PRIVATE").map(normalizeImage);
    }),
  );
  const resources = lists.flat();

  // Tags are never echoed by Describe calls (§10).
  const taggable = new Set(PLANNERS.filter((p) => p.taggable).map((p) => p.kind));
  const needTags = resources.filter((r) => r.arn && taggable.has(r.kind) && (o.allTags || o.declared.has(r.address)));
  const indexedTags = await readTags(ctx, needTags, resources, o.note);

  // Memberships and shares only of stacks and images this manifest declares or owns.
  const inScope = resources.filter((r) => o.declared.has(r.address) || r.tags?.[OWNER_TAG] === o.set);
  const prior = index(inScope);
  const dropped = wanted("UserAssociation") && !o.allTags ? await droppedStacks(ctx, resources, o) : [];
  const memberships = dropped.length ? index([...inScope, ...dropped]) : prior;
  const derived = await Promise.all(PLANNERS.filter((p) => p.derive && wanted(p.kind)).map((p) => p.read(ctx, p.kind === "UserAssociation" ? memberships : prior)));
  return { resources: [...resources, ...derived.flat()], catalog, indexedTags };
}

/**
 * Stacks this set owns that the manifest no longer declares, when it declares users: a declared user's
 * membership of one is the user's to remove (its `stacks` no longer list it), so it must be read. Their
 * tags are not read without --prune; the tagging index, filtered by the set tag, names them in one call
 * without naming any other stack. Without tag:GetResources, or while the index lags, they are not seen
 * (docs/RELIABILITY.md, "Memberships of dropped stacks").
 */
async function droppedStacks(ctx: ReadContext, resources: readonly LiveResource[], o: ReadOptions): Promise<LiveResource[]> {
  const undeclared = resources.filter((r) => r.kind === "Stack" && r.arn && !o.declared.has(r.address));
  if (!undeclared.length || ![...o.declared].some((a) => a.startsWith("User/"))) return [];
  let arns: Set<string>;
  try {
    const owned = await collect(async (token) => {
      const out = await ctx.api.call("GetResources", {
        TagFilters: [{ Key: OWNER_TAG, Values: [o.set] }], ResourceTypeFilters: [TAG_INDEX_TYPES.Stack!], ResourcesPerPage: TAG_INDEX_PAGE,
        ...(token ? { PaginationToken: token } : {}),
      });
      return { items: out.ResourceTagMappingList ?? [], next: out.PaginationToken };
    }, { label: "GetResources" });
    arns = new Set(owned.map((m) => m.ResourceARN ?? ""));
  } catch (err) {
    if (kindOf(err) !== "access-denied") throw err;
    o.note?.("memberships of stacks dropped from the manifest are not read: these credentials may not call tag:GetResources");
    return [];
  }
  return undeclared.filter((r) => arns.has(r.arn!));
}

/** Sessions a stop of this fleet would end, over every stack it serves (DescribeSessions, §17). */
export async function activeSessions(api: AppStreamApi, fleet: string, stacks: readonly string[]): Promise<number> {
  let n = 0;
  for (const stack of stacks) {
    const sessions = await collect(async (token) => {
      const out = await api.call("DescribeSessions", { StackName: stack, FleetName: fleet, Limit: 50, ...(token ? { NextToken: token } : {}) });
      return { items: out.Sessions ?? [], next: out.NextToken };
    }, { label: "DescribeSessions" });
    n += sessions.filter((s) => s.State !== "EXPIRED").length;
  }
  return n;
}
