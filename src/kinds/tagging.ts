/**
 * Tags go through TagResource / UntagResource / ListTagsForResource, never Describe (reference §10):
 * the calls every taggable kind shares, for the engine's tag reads, export's adoption, and the
 * `tags.update` step.
 */
import type { AppStreamApi } from "../aws/api.js";
import { AppError } from "../core/errors.js";
import type { Step } from "../model/plan.js";
import type { OpCtx, OpFn } from "./kind.js";
import { PROPAGATION, param } from "./op-helpers.js";

/** The tags of one resource, read directly (authoritative, unlike the tagging index). */
export async function listTags(api: AppStreamApi, arn: string): Promise<Record<string, string>> {
  return (await api.call("ListTagsForResource", { ResourceArn: arn })).Tags ?? {};
}

/** Adds tags to one resource. */
export async function addTags(api: AppStreamApi, arn: string, tags: Record<string, string>): Promise<void> {
  await api.call("TagResource", { ResourceArn: arn, Tags: tags });
}

/** The params of a `tags.update` step (tagStep in steps.ts). */
export interface TagsParams {
  ResourceArn?: string;
  address: string;
  add?: Record<string, string>;
  remove?: string[];
}

/**
 * The `tags.update` op; `arnOf` finds the ARN of a resource planned before it existed (the kind's `arn`).
 */
export function tagsOp(arnOf: (ctx: OpCtx, address: string) => Promise<string>): OpFn<TagsParams> {
  return async (ctx: OpCtx, s: Omit<Step, "params"> & { params: TagsParams }) => {
    const address = param(s, "address");
    const arn = typeof s.params.ResourceArn === "string" ? s.params.ResourceArn : await arnOf(ctx, address);
    const add = s.params.add ?? {};
    const remove = s.params.remove ?? [];
    const opts = { ...PROPAGATION, resource: address };
    if (remove.length) await ctx.call("UntagResource", { ResourceArn: arn, TagKeys: remove }, opts);
    if (Object.keys(add).length) await ctx.call("TagResource", { ResourceArn: arn, Tags: add }, opts);
    return undefined;
  };
}

/** `plan.format` for a tag step on a kind that cannot be tagged; `apply.failed` when the resource is gone. */
export function untaggable(address: string): AppError {
  return new AppError("plan.format", `tags.update: ${address} is not a taggable resource`, { source: "user" });
}
export function arnNotFound(address: string): AppError {
  return new AppError("apply.failed", `tags.update: ${address} was not found`, { source: "aws" });
}
