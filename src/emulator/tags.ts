/**
 * Tags (reference §10): per-ARN maps in the `tags` collection, ≤ 50 per resource after a merge
 * (LimitExceededException), unknown ARN → ResourceNotFoundException. Tags given to Create* calls are
 * stored here and never echoed by Describe/Create/Update outputs. Key syntax (`aws:` prefix, lengths) is
 * the model's TagKey pattern, enforced by validate.ts before a handler runs.
 */
import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from "@aws-sdk/client-appstream";
import { op, type OpContext, type OpHandler } from "./context.js";
import { limitExceeded, notFound } from "./errors.js";
import { dict } from "./store.js";
import { indexTags } from "./tag-index.js";

type TagMap = Record<string, string>;

function tagsTable(ctx: OpContext) {
  return ctx.store.table<TagMap>(ctx.region, "tags");
}

/** Stores the `Tags` member of a Create* request for a new resource (no-op when absent). */
export function storeCreateTags(ctx: OpContext, arn: string, tags: Record<string, string> | undefined): void {
  if (!tags || Object.keys(tags).length === 0) return;
  tagsTable(ctx)[arn] = dict(Object.entries(tags).map(([k, v]) => [k, v ?? ""] as const));
  indexTags(ctx, arn, tagsTable(ctx)[arn]!);
}

/** Forgets the tags of a deleted resource, so a re-created namesake starts untagged. */
export function dropTags(ctx: OpContext, arn: string): void {
  delete tagsTable(ctx)[arn];
  indexTags(ctx, arn, null);
}

/** The ARN of an existing resource; Tag/Untag see resources still hidden from ListTags (FAULT-08). */
function requireResource(ctx: OpContext, arn: unknown, includeHidden: boolean): string {
  const a = String(arn);
  if (!ctx.store.findByArn(ctx.region, a, includeHidden)) throw notFound(`The resource ${a} does not exist.`);
  return a;
}

const tagResource = op<TagResourceRequest>((ctx, input) => {
  const arn = requireResource(ctx, input.ResourceArn, true);
  const merged: TagMap = dict(Object.entries(tagsTable(ctx)[arn] ?? {}));
  // An omitted value is stored as "" (reference §10, S001:L9300).
  for (const [k, v] of Object.entries(input.Tags ?? {})) merged[k] = v ?? "";
  if (Object.keys(merged).length > ctx.config.quotas.tagsPerResource) {
    throw limitExceeded(`The resource ${arn} cannot have more than ${ctx.config.quotas.tagsPerResource} tags.`);
  }
  tagsTable(ctx)[arn] = merged;
  indexTags(ctx, arn, merged);
  return {};
});

const untagResource = op<UntagResourceRequest>((ctx, input) => {
  const arn = requireResource(ctx, input.ResourceArn, true);
  const current = dict(Object.entries(tagsTable(ctx)[arn] ?? {}));
  for (const k of input.TagKeys ?? []) delete current[k];
  if (Object.keys(current).length === 0) delete tagsTable(ctx)[arn];
  else tagsTable(ctx)[arn] = current;
  indexTags(ctx, arn, current);
  return {};
});

const listTags = op<ListTagsForResourceRequest>((ctx, input) => {
  const arn = requireResource(ctx, input.ResourceArn, false);
  return { Tags: dict(Object.entries(tagsTable(ctx)[arn] ?? {})) };
});

/** Tag operations for the registry in ops.ts. */
export const tagOps: Record<string, OpHandler> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTags,
};
