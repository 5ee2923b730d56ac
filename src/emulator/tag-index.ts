/**
 * The Resource Groups Tagging index of AppStream resources (TAGAPI rules in SPEC.md): a separate,
 * eventually consistent copy of the tags, as GetResources sees them. Every tag change of an indexed
 * resource is kept as a dated version, so that the `tagIndexLag` fault can show the index as it was a
 * while ago: a deleted resource still listed, new tags not yet there.
 */
import type { OpContext } from "./context.js";
import { parseArn } from "./store.js";

type TagMap = Record<string, string>;

/** One state of a resource in the index: its tags from `at` on, or `null` once it was deleted. */
interface Version {
  at: number;
  tags: TagMap | null;
}

/** AppStream resource types the tagging index covers (images are not indexed). */
export const INDEXED_TYPES: ReadonlySet<string> = new Set(["fleet", "stack", "image-builder"]);

/** Versions kept per resource: enough to look back over any lag a test sets, bounded for long runs. */
const MAX_VERSIONS = 16;

function indexTable(ctx: Pick<OpContext, "store" | "region">) {
  return ctx.store.table<Version[]>(ctx.region, "tagIndex");
}

/** The ARN's AppStream resource type when the index covers it, else undefined. */
export function indexedType(arn: string): string | undefined {
  const p = parseArn(arn);
  return p && INDEXED_TYPES.has(p.type) ? p.type : undefined;
}

/**
 * Records the tags an indexed resource has from now on (`{}` once every tag was removed: the index keeps
 * "previously tagged" resources), or `null` when the resource was deleted.
 */
export function indexTags(ctx: OpContext, arn: string, tags: TagMap | null): void {
  if (!indexedType(arn)) return;
  const table = indexTable(ctx);
  const versions = table[arn];
  if (!versions && tags === null) return;
  const next = [...(versions ?? []), { at: ctx.now, tags: tags === null ? null : { ...tags } }];
  table[arn] = next.slice(-MAX_VERSIONS);
}

/** One resource as the index shows it. */
export interface IndexedResource {
  arn: string;
  type: string;
  tags: TagMap;
}

/**
 * The index as it was `lagMs` ago, in ARN order. Tags stored before the index existed (an older state
 * file) count as indexed long ago.
 */
export function indexView(ctx: OpContext, lagMs: number): IndexedResource[] {
  const cutoff = ctx.now - lagMs;
  const table = indexTable(ctx);
  const out: IndexedResource[] = [];
  for (const [arn, versions] of Object.entries(table)) {
    let shown: Version | undefined;
    for (const v of versions) if (v.at <= cutoff) shown = v;
    if (shown?.tags) out.push({ arn, type: indexedType(arn)!, tags: shown.tags });
  }
  const tags = ctx.store.table<TagMap>(ctx.region, "tags");
  for (const [arn, t] of Object.entries(tags)) {
    const type = indexedType(arn);
    if (type && !table[arn]) out.push({ arn, type, tags: t });
  }
  return out.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}
