/**
 * `drift --write` on a singleton (pure): `usageReports` declared but gone is written `none`, `none` with a
 * subscription there is written as the object, a changed field of it as any field; what is around it in
 * the file stays byte for byte, and a key left out is never written.
 */
import { describe, expect, it } from "vitest";
import { computeDrift } from "../../src/core/drift.js";
import type { LiveResource } from "../../src/kinds/contract.js";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";
import { writeBack } from "../../src/manifest/write-back.js";

const HEAD = `apiVersion: appstreamctl/v1
metadata: { name: t } # the set
`;
const LIVE: LiveResource = {
  kind: "UsageReportSubscription", name: "subscription", address: "UsageReportSubscription/subscription",
  spec: { name: "subscription", schedule: "DAILY" }, facts: { s3BucketName: "appstream-logs-us-east-1-123456789012-abcdefgh" }, errors: [],
};

function run(text: string, live: LiveResource[], env: Record<string, string> = {}) {
  const loaded = analyzeManifest([{ file: "m.yaml", text }], env, defaultChecks());
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const report = computeDrift({ manifest: loaded.manifest as never, live, region: "us-east-1", createdAt: "2026-01-01T00:00:00.000Z" });
  return { report, out: writeBack(report, loaded, new Map([["m.yaml", text]])) };
}

describe("drift and --write of the usageReports singleton", () => {
  it("declared, not in the Region: missing, its diff is the object → none, written as none in place", () => {
    const text = `${HEAD}usageReports: { schedule: DAILY } # on\nfleets: []\n`;
    const { report, out } = run(text, []);
    expect(report.missing.map((i) => [i.address, i.pointer, i.diff])).toEqual([[
      "UsageReportSubscription/subscription", "/usageReports",
      [{ path: "usageReports", before: { schedule: "DAILY" }, after: "none", sensitive: false, why: "live" }],
    ]]);
    expect(out.written).toEqual([{ address: "UsageReportSubscription/subscription", path: "usageReports", file: "m.yaml" }]);
    expect(out.skipped).toEqual([]);
    expect(out.texts.get("m.yaml")).toBe(`${HEAD}usageReports: none # on\nfleets: []\n`);
  });

  it("a block mapping becomes none too (the file is re-rendered: comments kept)", () => {
    const text = `${HEAD}# reports\nusageReports:\n  schedule: DAILY\nfleets: []\n`;
    const { out } = run(text, []);
    expect(out.texts.get("m.yaml")).toBe(`${HEAD}# reports\nusageReports: none\nfleets: []\n`);
  });

  it("none, with a subscription in the Region: unmanaged with its pointer, its diff none → the object, written as a flow mapping", () => {
    const text = `${HEAD}usageReports: none # off\n`;
    const { report, out } = run(text, [LIVE]);
    expect(report.unmanaged).toEqual([{
      category: "unmanaged", address: "UsageReportSubscription/subscription", kind: "UsageReportSubscription", name: "subscription",
      pointer: "/usageReports", note: "the manifest says `usageReports: none`: apply deletes it",
      diff: [{ path: "usageReports", before: "none", after: { schedule: "DAILY" }, sensitive: false, why: "live" }],
    }]);
    expect(out.texts.get("m.yaml")).toBe(`${HEAD}usageReports: { schedule: DAILY } # off\n`);
    // Unpadded flow collections in the file: the new one follows them.
    const tight = `apiVersion: appstreamctl/v1\nmetadata: {name: t}\nusageReports: none\n`;
    expect(run(tight, [LIVE]).out.texts.get("m.yaml")).toBe(`apiVersion: appstreamctl/v1\nmetadata: {name: t}\nusageReports: {schedule: DAILY}\n`);
  });

  it("a changed schedule is written like any field of an entry", () => {
    const text = `${HEAD}usageReports:\n  schedule: WEEKLY # the service may add it\n`;
    const { report, out } = run(text, [LIVE]);
    expect(report.changed.map((i) => [i.address, i.pointer, i.diff.map((d) => [d.path, d.before, d.after])])).toEqual([
      ["UsageReportSubscription/subscription", "/usageReports", [["schedule", "WEEKLY", "DAILY"]]],
    ]);
    expect(out.texts.get("m.yaml")).toBe(`${HEAD}usageReports:\n  schedule: DAILY # the service may add it\n`);
  });

  it("no key: the subscription is unmanaged as any undeclared resource, and not written", () => {
    const text = `${HEAD}fleets: []\n`;
    const { report, out } = run(text, [LIVE]);
    expect(report.unmanaged.map((i) => [i.address, i.pointer, i.diff, i.note])).toEqual([
      ["UsageReportSubscription/subscription", undefined, [], "not declared by any loaded manifest"],
    ]);
    expect(out.written).toEqual([]);
    expect(out.skipped).toEqual([{ address: "UsageReportSubscription/subscription", path: "", reason: "unmanaged: resources are not added or removed by --write" }]);
    expect(out.texts.size).toBe(0);
  });
});
