/**
 * Usage reports end to end, through the CLI against the emulator: the top-level `usageReports` singleton
 * is created (its bucket, chosen by the service, shown as a read and in the apply's progress), planned as
 * no change afterwards, left alone when the key is absent (also with --prune), deleted by `none`, reported
 * by drift when it goes missing, and exported so that the export plans no change.
 */
import { CreateUsageReportSubscriptionCommand, DeleteUsageReportSubscriptionCommand, DescribeUsageReportSubscriptionsCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clientOf, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { applyLog } from "./issue6-helpers.js";

beforeAll(fakeAwsCredentials);

const manifest = (usage: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: reports }
${usage}`);

const ADDRESS = "UsageReportSubscription/subscription";

describe("usage reports", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;
  const subscriptions = async () => (await clientOf(url()).send(new DescribeUsageReportSubscriptionsCommand({}))).UsageReportSubscriptions ?? [];

  it("usageReports: { schedule: DAILY } creates the subscription; its bucket is shown; then no changes", async () => {
    const file = manifest("usageReports: { schedule: DAILY }\n");
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ [ADDRESS]: "create" });
    expect(plan.steps.map((s) => [s.address, s.op, s.params])).toEqual([[ADDRESS, "usage-reports.create", {}]]);
    await control(url(), "DELETE", "calls");
    const r = await apply(url(), file);
    expect(r.code, r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["CreateUsageReportSubscription"]);
    const [sub] = await subscriptions();
    expect(sub?.S3BucketName).toMatch(/^appstream-logs-us-east-1-/);
    // The apply's progress names the bucket the service chose.
    expect(r.stdout + r.stderr).toContain(`reports go to s3://${sub!.S3BucketName}`);
    const again = await planOf(url(), file);
    expect(changesOf(again)).toEqual({});
    expect(again.reads).toEqual([{ address: ADDRESS, description: "bucket the service writes usage reports to", result: `s3://${sub!.S3BucketName}` }]);
    const text = await cli(url(), ["-f", file, "plan"]);
    expect(text.stdout).toContain(`s3://${sub!.S3BucketName}`);
    expect(text.stdout).toContain("No changes");
  });

  it("left out of the manifest, the subscription is left alone and not even read, also with --prune", async () => {
    const file = manifest("");
    await control(url(), "DELETE", "calls");
    const plan = await planOf(url(), file, ["--prune"]);
    expect(changesOf(plan)).toEqual({});
    const { body } = await control(url(), "GET", "calls");
    expect((body.calls as { operation: string }[]).map((c) => c.operation)).not.toContain("DescribeUsageReportSubscriptions");
    expect(await subscriptions()).toHaveLength(1);
  });

  it("drift reports a subscription deleted out of band as missing; apply creates it again", async () => {
    await clientOf(url()).send(new DeleteUsageReportSubscriptionCommand({}));
    const file = manifest("usageReports: { schedule: DAILY }\n");
    const r = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as { missing: { address: string; pointer: string }[] };
    expect(report.missing).toMatchObject([{ address: ADDRESS, pointer: "/usageReports" }]);
    expect(await applyLog(url(), file)).toEqual(["CreateUsageReportSubscription"]);
  });

  it("export writes usageReports when the subscription exists, and the export plans no change", async () => {
    const r = await cli(url(), ["export"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r.stdout) as { usageReports?: unknown };
    expect(doc.usageReports).toEqual({ schedule: "DAILY" });
    const exported = writeManifest(r.stdout);
    await control(url(), "DELETE", "calls");
    expect(changesOf(await planOf(url(), exported))).toEqual({});
    expect(await mutations(url())).toEqual([]);
  });

  it("usageReports: none deletes it (a warning says the reports stop); none with nothing there plans nothing", async () => {
    const file = manifest("usageReports: none\n");
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ [ADDRESS]: "delete" });
    expect(plan.resourceChanges.find((c) => c.address === ADDRESS)?.warnings?.[0]).toMatch(/^usage reports stop; those already in s3:\/\/appstream-logs-/);
    expect(await applyLog(url(), file)).toEqual(["DeleteUsageReportSubscription"]);
    expect(await subscriptions()).toEqual([]);
  });

  it("export writes no usageReports when there is no subscription", async () => {
    const r = await cli(url(), ["export"]);
    expect(r.code, r.stderr).toBe(0);
    expect((parse(r.stdout) as Record<string, unknown>).usageReports).toBeUndefined();
  });

  it("a subscription made out of band is reported by drift as unmanaged when the manifest leaves it out", async () => {
    await clientOf(url()).send(new CreateUsageReportSubscriptionCommand({}));
    const r = await cli(url(), ["-f", manifest(""), "-o", "json", "drift"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as { unmanaged: { address: string }[] };
    expect(report.unmanaged.map((u) => u.address)).toEqual([ADDRESS]);
  });

  it("validation: an unknown schedule warns at its position (the API may add one); another word than none, or a name, is refused", async () => {
    for (const bad of ["usageReports: off\n", "usageReports: { name: x, schedule: DAILY }\n", "usageReports: { schedule: daily }\n", "usageReports: {}\n"]) {
      const r = await cli(url(), ["-f", manifest(bad), "validate"]);
      expect(r.code, bad).toBe(1);
    }
    const weekly = await cli(url(), ["-f", manifest("usageReports:\n  schedule: WEEKLY\n"), "-o", "json", "validate"]);
    expect(weekly.code, weekly.stderr).toBe(0);
    const diags = (JSON.parse(weekly.stdout) as { diagnostics: { code: string; severity: string; pointer: string; line: number; col: number }[] }).diagnostics;
    expect(diags.map((d) => [d.code, d.severity, d.pointer, d.line, d.col])).toEqual([["rule.usage-reports", "warning", "/usageReports/schedule", 4, 13]]);
    const ok = await cli(url(), ["-f", manifest("usageReports: { schedule: DAILY }\n"), "validate"]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});
