/**
 * UsageReportSubscription (reference §11): the account's usage reports in one Region, a singleton declared
 * by the top-level `usageReports: { schedule: DAILY }` (`usageReports: none` deletes it; no key leaves it
 * alone). The service picks the S3 bucket the reports go to (one per account and Region, shared with
 * session-script logs): it is never declared, and the plan shows it as a read. Reports that could not be
 * generated (SubscriptionErrors) are plan warnings and drift errors: the subscription itself is fine, but
 * its bucket or role needs fixing outside AppStream.
 *
 * No set owns an account-wide setting: `--prune` never deletes it, only `usageReports: none` does.
 */
import type {
  CreateUsageReportSubscriptionCommandInput, DeleteUsageReportSubscriptionCommandInput, UsageReportSubscription,
} from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import type { FieldTable, LiveResource } from "./contract.js";
import { defineKind, type OpFn } from "./kind.js";
import { deleteOrGone } from "./op-helpers.js";
import { str } from "./schema-dsl.js";

export interface UsageReportSpec {
  /** Fixed ({@link SUBSCRIPTION}); never written in the manifest. */
  name: string;
  schedule: string;
}

/** The name of the one subscription: its address is `UsageReportSubscription/subscription`. */
export const SUBSCRIPTION = "subscription";

/** The schedules of the current API; the service may add others, so an unknown one only warns. */
export const SCHEDULES = ["DAILY"] as const;

const fields: FieldTable<UsageReportSpec> = {
  name: { role: "identity", mode: "replace", schema: str({ min: 1 }) },
  schedule: {
    role: "api", mode: "live",
    schema: str({ pattern: "^[A-Z_]+$", description: `How often reports are generated: ${SCHEDULES.join(" | ")} (the API may add others)` }),
  },
};

async function describe(api: AppStreamApi): Promise<UsageReportSubscription[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeUsageReportSubscriptions", token ? { NextToken: token } : {});
    return { items: out.UsageReportSubscriptions ?? [], next: out.NextToken };
  }, { label: "DescribeUsageReportSubscriptions" });
}

export function normalizeSubscription(s: UsageReportSubscription): LiveResource {
  return {
    kind: "UsageReportSubscription", name: SUBSCRIPTION, address: `UsageReportSubscription/${SUBSCRIPTION}`,
    spec: { name: SUBSCRIPTION, schedule: s.Schedule ?? "DAILY" },
    facts: { s3BucketName: s.S3BucketName ?? "" },
    errors: (s.SubscriptionErrors ?? []).map((e) => ({ code: e.ErrorCode ?? "UNKNOWN", message: e.ErrorMessage ?? "" })),
  };
}

const bucketOf = (l: LiveResource): string | undefined => {
  const b = l.facts?.s3BucketName;
  return typeof b === "string" && b !== "" ? b : undefined;
};

const createStep = () => [{ id: "create", op: "usage-reports.create", params: {} }];

export const usageReport = defineKind<UsageReportSpec>()({
  kind: "UsageReportSubscription",
  rank: 90,
  noun: "usage report subscription",
  key: "usageReports",
  identity: "name",
  required: ["name", "schedule"],
  taggable: false,
  ownership: "singleton",
  singleton: { name: SUBSCRIPTION },
  description: "Usage reports of this account and Region (an S3 bucket the service chooses gets a report a day); `none` turns them off",
  fields,
  refs: [],
  rules: (s) =>
    (SCHEDULES as readonly string[]).includes(s.schedule) ? [] : [{
      code: "rule.usage-reports", severity: "warning", path: ["schedule"],
      message: `schedule ${s.schedule} is not one this version knows (${SCHEDULES.join(", ")}); the service decides`,
    }],
  ops: {
    // Idempotent (reference §11): a second call answers the same bucket.
    "usage-reports.create": (async (ctx) => {
      const out = await ctx.call("CreateUsageReportSubscription", {});
      return out.S3BucketName ? `reports go to s3://${out.S3BucketName}` : undefined;
    }) satisfies OpFn<CreateUsageReportSubscriptionCommandInput>,
    "usage-reports.delete": ((ctx, s) =>
      deleteOrGone(() => ctx.call("DeleteUsageReportSubscription", {}, { resource: s.address }))) satisfies OpFn<DeleteUsageReportSubscriptionCommandInput>,
  },
  async read(ctx) {
    return (await describe(ctx.api)).slice(0, 1).map(normalizeSubscription);
  },
  async readOne(ctx, name) {
    const [s] = await describe(ctx.api);
    return s && name === SUBSCRIPTION ? normalizeSubscription(s) : undefined;
  },
  create: createStep,
  // DAILY is the only schedule: nothing can change, but sending Create again is harmless (idempotent).
  update: () => ({ steps: createStep(), disruption: "none", reason: "" }),
  remove: () => [{ id: "delete", op: "usage-reports.delete", params: {} }],
  shown(l) {
    const bucket = bucketOf(l);
    return bucket ? { address: l.address, description: "bucket the service writes usage reports to", result: `s3://${bucket}` } : undefined;
  },
  settle(l) {
    if (!l.errors?.length) return undefined;
    const what = l.errors.map((e) => `${e.code}${e.message ? `: ${e.message}` : ""}`).join("; ");
    return { warning: `the last usage reports could not be generated (${what}): check the bucket ${bucketOf(l) ?? "(unknown)"} and its policy` };
  },
  removeWarning: (l) => `usage reports stop; those already in ${bucketOf(l) ? `s3://${bucketOf(l)}` : "the bucket"} stay`,
  export: {
    // The name is fixed: the entry is the top-level object without it.
    entry: ({ name: _name, ...rest }) => rest,
  },
});
