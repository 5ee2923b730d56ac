/**
 * `export` end to end: read the whole Region (the same read as drift), build the manifest (pure,
 * core/export.ts) and, with `--adopt`, tag the exported taggable resources with the ownership tag —
 * the one mutating thing export does, so that `--prune` may later manage them.
 */
import type { AppStreamApi } from "../aws/api.js";
import { systemClock, type Clock } from "../aws/retry.js";
import { OWNER_TAG } from "../core/desired.js";
import { exportManifest, type ExportInput, type ExportResult } from "../core/export.js";
import { kindNamed } from "../kinds/index.js";
import { addTags } from "../kinds/tagging.js";
import { readEstate } from "./drift-run.js";
import { mapLimit } from "./pool.js";
import { retryingApi } from "./read.js";
import { confirmTags } from "./tag-read.js";

export interface ExportRunOptions extends Omit<ExportInput, "live" | "region"> {
  api: AppStreamApi;
  region: string;
  concurrency: number;
  /** Tag exported taggable resources with `appstreamctl:set=<set>`. */
  adopt: boolean;
  clock?: Clock;
  signal?: AbortSignal;
  /** Where notes go (stderr). */
  note?: (message: string) => void;
}

/** Reads the Region, writes the manifest text and, with `adopt`, tags what it exported; returns what was adopted. */
export async function runExport(o: ExportRunOptions): Promise<ExportResult & { adopted: string[] }> {
  const live = await readEstate({
    api: o.api, region: o.region, concurrency: o.concurrency, set: o.set ?? "", catalog: false,
    ...(o.clock ? { clock: o.clock } : {}), ...(o.signal ? { signal: o.signal } : {}), ...(o.note ? { note: o.note } : {}),
  });
  const build = () => exportManifest({
    live: live.resources, region: o.region, schema: o.schema, adopt: o.adopt,
    ...(o.set ? { set: o.set } : {}), ...(o.kinds ? { kinds: o.kinds } : {}), ...(o.name ? { name: o.name } : {}),
  });
  let result = build();
  if (!o.adopt) return { ...result, adopted: [] };
  const api = retryingApi(o.api, o.clock ?? systemClock, o.signal);
  const untagged = () => result.resources.filter((r) => r.arn && kindNamed(r.kind).taggable && r.tags?.[OWNER_TAG] !== result.set);
  // Tags from the lagging tagging index are confirmed directly before anything is tagged on their word.
  const ctx = { api, region: o.region, map: <T, R>(items: readonly T[], fn: (item: T) => Promise<R>) => mapLimit(items, o.concurrency, fn) };
  if (await confirmTags(ctx, live.resources, untagged().map((r) => r.address), live.indexedTags)) result = build();
  const todo = untagged();
  await mapLimit(todo, o.concurrency, (r) => addTags(api, r.arn!, { [OWNER_TAG]: result.set }));
  return { ...result, adopted: todo.map((r) => r.address) };
}
