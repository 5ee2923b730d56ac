/**
 * Usage report subscription (reference §11): an account+region singleton stored in `usageReports` under
 * the key `subscription`. Create is idempotent (returns the same bucket), Delete when not subscribed →
 * ResourceNotFoundException, Describe when not subscribed → empty list.
 */
import { createHash } from "node:crypto";
import type { DescribeUsageReportSubscriptionsRequest } from "@aws-sdk/client-appstream";
import { op, type OpContext, type OpHandler } from "./context.js";
import { notFound } from "./errors.js";
import { pageSizeOf, paginate } from "./paginate.js";
import type { BaseRecord } from "./store.js";

interface SubscriptionRecord extends BaseRecord {
  S3BucketName: string;
  Schedule: "DAILY";
}

const KEY = "subscription";

function table(ctx: OpContext) {
  return ctx.store.table<SubscriptionRecord>(ctx.region, "usageReports");
}

/** The per-account, per-region bucket the service creates (reference §11). */
function bucketName(ctx: OpContext): string {
  const suffix = createHash("sha256").update(`usage|${ctx.account}|${ctx.region}`).digest("hex").slice(0, 10);
  return `appstream-logs-${ctx.region}-${ctx.account}-${suffix}`;
}

const create = op<Record<string, never>>((ctx) => {
  const existing = table(ctx)[KEY];
  const rec = existing ?? { S3BucketName: bucketName(ctx), Schedule: "DAILY", createdAt: ctx.now };
  table(ctx)[KEY] = rec;
  return { S3BucketName: rec.S3BucketName, Schedule: rec.Schedule };
});

const describe = op<DescribeUsageReportSubscriptionsRequest>((ctx, input) => {
  const rec = table(ctx)[KEY];
  const list = rec ? [{ S3BucketName: rec.S3BucketName, Schedule: rec.Schedule, SubscriptionErrors: [] }] : [];
  const page = paginate(list, "DescribeUsageReportSubscriptions", input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { UsageReportSubscriptions: page.items, NextToken: page.nextToken };
});

const remove = op<Record<string, never>>((ctx) => {
  if (!table(ctx)[KEY]) throw notFound("No usage report subscription exists for this account in this Region.");
  delete table(ctx)[KEY];
  return {};
});

/** Usage report operations for the registry in ops.ts. */
export const usageReportOps: Record<string, OpHandler> = {
  CreateUsageReportSubscription: create,
  DescribeUsageReportSubscriptions: describe,
  DeleteUsageReportSubscription: remove,
};
