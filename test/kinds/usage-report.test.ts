/**
 * The usage report subscription: a singleton kind. Its key holds one object or `none`; the desired
 * resource comes from the object, `none` deletes a live one (with or without --prune), and a manifest
 * that leaves the key out neither reads nor deletes it.
 */
import { describe, expect, it } from "vitest";
import { desiredResources } from "../../src/core/desired.js";
import { buildPlan } from "../../src/core/plan.js";
import { entriesOf, singletonsNamed } from "../../src/kinds/index.js";
import { kindsToRead } from "../../src/kinds/reads.js";
import { normalizeSubscription, usageReport } from "../../src/kinds/usage-report.js";
import type { ManifestDoc } from "../../src/model/resource.js";
import { REGION } from "./helpers.js";

const base: ManifestDoc = { apiVersion: "appstreamctl/v1", metadata: { name: "set" } };
const BUCKET = "appstream-logs-us-east-1-123456789012-abcdef0123";
const subscription = normalizeSubscription({ S3BucketName: BUCKET, Schedule: "DAILY" });
const plan = (m: ManifestDoc, prune = false) => buildPlan({ manifest: m, live: [subscription], region: "us-east-1", prune, createdAt: "2026-12-05T00:00:00Z" });

describe("usage report subscription (a singleton kind)", () => {
  it("the top-level object is its one entry, named by the kind; none and no key are none", () => {
    expect(entriesOf({ ...base, usageReports: { schedule: "DAILY" } }, usageReport)).toEqual([{ schedule: "DAILY", name: "subscription" }]);
    expect(entriesOf({ ...base, usageReports: "none" }, usageReport)).toEqual([]);
    expect(entriesOf(base, usageReport)).toEqual([]);
    expect(desiredResources({ ...base, usageReports: { schedule: "DAILY" } })).toEqual([{
      kind: "UsageReportSubscription", name: "subscription", address: "UsageReportSubscription/subscription",
      spec: { schedule: "DAILY", name: "subscription" }, pointer: "/usageReports", dependsOn: [],
    }]);
  });

  it("read when the key is there (also as none), not otherwise, and not for --prune (no set owns it)", () => {
    expect(singletonsNamed({ ...base, usageReports: "none" })).toEqual(["UsageReportSubscription"]);
    expect(singletonsNamed(base)).toEqual([]);
    const pruneReads = kindsToRead(new Set(), { prune: true, exclusivePool: false, catalog: false });
    expect(pruneReads.has("UsageReportSubscription")).toBe(false);
  });

  it("declared: no change, and the bucket the service chose is shown as a read", () => {
    const p = plan({ ...base, usageReports: { schedule: "DAILY" } });
    expect(p.resourceChanges.map((c) => [c.address, c.actions])).toEqual([["UsageReportSubscription/subscription", ["no-op"]]]);
    expect(p.reads).toEqual([{ address: "UsageReportSubscription/subscription", description: "bucket the service writes usage reports to", result: `s3://${BUCKET}` }]);
  });

  it("none deletes it, with or without --prune; left out it is left alone, also with --prune", () => {
    for (const prune of [false, true]) {
      const p = plan({ ...base, usageReports: "none" }, prune);
      expect(p.resourceChanges.map((c) => [c.address, c.actions, c.warnings])).toEqual([
        ["UsageReportSubscription/subscription", ["delete"], [`usage reports stop; those already in s3://${BUCKET} stay`]],
      ]);
      expect(p.steps.map((s) => [s.op, s.params])).toEqual([["usage-reports.delete", {}]]);
      expect(plan(base, prune).resourceChanges).toEqual([]);
    }
  });

  it("create sends CreateUsageReportSubscription without members; SubscriptionErrors are a plan warning and drift errors", () => {
    expect(usageReport.create({ kind: "UsageReportSubscription", name: "subscription", address: "", spec: {}, pointer: "", dependsOn: [] }, REGION)).toEqual([
      { id: "create", op: "usage-reports.create", params: {} },
    ]);
    const failing = normalizeSubscription({
      S3BucketName: BUCKET, Schedule: "DAILY", SubscriptionErrors: [{ ErrorCode: "ACCESS_DENIED", ErrorMessage: "bucket policy denies AppStream" }],
    });
    expect(failing.errors).toEqual([{ code: "ACCESS_DENIED", message: "bucket policy denies AppStream" }]);
    const p = buildPlan({ manifest: { ...base, usageReports: { schedule: "DAILY" } }, live: [failing], region: "us-east-1", prune: false, createdAt: "x" });
    expect(p.resourceChanges[0]!.warnings).toEqual([
      `the last usage reports could not be generated (ACCESS_DENIED: bucket policy denies AppStream): check the bucket ${BUCKET} and its policy`,
    ]);
  });

  it("export writes the object without its fixed name", () => {
    expect(usageReport.export?.entry?.({ name: "subscription", schedule: "DAILY" })).toEqual({ schedule: "DAILY" });
  });
});
