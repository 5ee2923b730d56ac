/**
 * Reading tags, the one place that decides how. Describe calls never echo tags (reference §10), so
 * fleets, stacks and image builders get theirs from the Resource Groups Tagging API's GetResources,
 * up to 100 to a call, instead of one ListTagsForResource each; images, which that index does not cover,
 * keep ListTagsForResource.
 *
 * The index is eventually consistent: it may still list deleted resources, or lack tags set a moment
 * ago. So it is asked only about ARNs the AppStream listings found, and whatever a decision rests on —
 * a tag change about to be made, an ownership refusal, a prune — is confirmed with a direct read
 * ({@link confirmTags}). A caller without `tag:GetResources` falls back to direct reads, with a note.
 */
import type { CallCounter } from "../aws/api.js";
import { kindOf } from "../aws/errors.js";
import { collect } from "../aws/paginate.js";
import type { LiveResource, ReadContext } from "../kinds/contract.js";
import { TAG_INDEX_PAGE, TAG_INDEX_TYPES } from "../kinds/tag-index.js";
import { listTags } from "../kinds/tagging.js";

/** Where a read's notes go (stderr in the CLI). */
export type Note = (message: string) => void;

/** Apis whose caller was refused GetResources: they are not asked again in this process. */
const refused = new WeakSet<CallCounter>();

type Tags = Record<string, string>;

/** Tags of the given ARNs from the index, or undefined when the caller may not call GetResources. */
async function fromIndex(ctx: ReadContext, wanted: readonly LiveResource[], listedOfTypes: number, note?: Note): Promise<Map<string, Tags> | undefined> {
  if (refused.has(ctx.api.counter)) return undefined;
  const types = [...new Set(wanted.map((r) => TAG_INDEX_TYPES[r.kind]!))].sort();
  const byArn = new Map<string, Tags>();
  const keep = (list: readonly { ResourceARN?: string; Tags?: { Key?: string; Value?: string }[] }[] | undefined) => {
    for (const m of list ?? []) {
      if (m.ResourceARN) byArn.set(m.ResourceARN, Object.fromEntries((m.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])));
    }
  };
  try {
    // Whichever takes fewer calls: the wanted ARNs by name, 100 a call, or every resource of their types.
    if (Math.ceil(wanted.length / TAG_INDEX_PAGE) < Math.max(1, Math.ceil(listedOfTypes / TAG_INDEX_PAGE))) {
      const batches: LiveResource[][] = [];
      for (let i = 0; i < wanted.length; i += TAG_INDEX_PAGE) batches.push(wanted.slice(i, i + TAG_INDEX_PAGE));
      await ctx.map(batches, async (batch) => keep((await ctx.api.call("GetResources", { ResourceARNList: batch.map((r) => r.arn!) })).ResourceTagMappingList));
    } else {
      keep(
        await collect(async (token) => {
          const out = await ctx.api.call("GetResources", {
            ResourceTypeFilters: types, ResourcesPerPage: TAG_INDEX_PAGE, ...(token ? { PaginationToken: token } : {}),
          });
          return { items: out.ResourceTagMappingList ?? [], next: out.PaginationToken };
        }, { label: "GetResources" }),
      );
    }
  } catch (err) {
    if (kindOf(err) !== "access-denied") throw err;
    refused.add(ctx.api.counter);
    note?.(
      "reading tags one resource at a time (ListTagsForResource): these credentials may not call tag:GetResources, " +
        "which reads the tags of 100 fleets, stacks or image builders in one call",
    );
    return undefined;
  }
  return byArn;
}

async function direct(ctx: ReadContext, resources: readonly LiveResource[]): Promise<void> {
  await ctx.map(resources, async (r) => {
    r.tags = await listTags(ctx.api, r.arn!);
  });
}

/**
 * Fills `tags` of `resources` (each with an ARN); `listed` is every resource the listings found, to weigh
 * the index's calls. Returns the addresses whose tags came from the index, not yet confirmed.
 */
export async function readTags(ctx: ReadContext, resources: readonly LiveResource[], listed: readonly LiveResource[], note?: Note): Promise<Set<string>> {
  const indexable = resources.filter((r) => TAG_INDEX_TYPES[r.kind] !== undefined);
  const others = resources.filter((r) => TAG_INDEX_TYPES[r.kind] === undefined);
  const indexed = new Set<string>();
  // A single resource costs one call either way; the direct read is the authoritative one.
  const byArn = indexable.length > 1 ? await fromIndex(ctx, indexable, listed.filter((r) => TAG_INDEX_TYPES[r.kind] !== undefined).length, note) : undefined;
  if (byArn) {
    for (const r of indexable) {
      // Not in the index: never tagged, or tagged too recently for the index to know yet.
      r.tags = byArn.get(r.arn!) ?? {};
      indexed.add(r.address);
    }
  }
  await direct(ctx, byArn ? others : resources);
  return indexed;
}

/**
 * Reads again, directly, the tags of the `addresses` whose tags came from the index (`indexed`, updated:
 * confirmed addresses leave it). Returns whether any tags differed from what the index said.
 */
export async function confirmTags(ctx: ReadContext, resources: readonly LiveResource[], addresses: Iterable<string>, indexed: Set<string>): Promise<boolean> {
  const wanted = new Set([...addresses].filter((a) => indexed.has(a)));
  if (!wanted.size) return false;
  const targets = resources.filter((r) => wanted.has(r.address) && r.arn);
  const before = new Map(targets.map((r) => [r.address, JSON.stringify(Object.entries(r.tags ?? {}).sort())]));
  await direct(ctx, targets);
  for (const a of wanted) indexed.delete(a);
  return targets.some((r) => JSON.stringify(Object.entries(r.tags ?? {}).sort()) !== before.get(r.address));
}
