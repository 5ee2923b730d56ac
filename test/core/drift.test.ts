import { describe, expect, it } from "vitest";
import { computeDrift, hasDrift, type DriftInput } from "../../src/core/drift.js";
import { withoutIgnored } from "../../src/core/diff.js";
import { exportManifest } from "../../src/core/export.js";
import type { LiveResource } from "../../src/kinds/contract.js";
import { globToRegExp, isIgnored, parseIgnore } from "../../src/manifest/ignore.js";
import { parse } from "yaml";
import { FLEET, fleetAssoc, liveFleet, liveStack, manifest, OWNED } from "./fixtures.js";

const AT = "2026-01-01T00:00:00.000Z";
const drift = (over: Partial<DriftInput>) => computeDrift({ manifest: manifest(), live: [], region: "us-east-1", createdAt: AT, ...over });
const fields = (r: ReturnType<typeof drift>, address: string) =>
  r.changed.find((i) => i.address === address)?.diff.map((d) => [d.path, d.before, d.after]);

describe("computeDrift: no false drift", () => {
  it("AWS-filled defaults, both image members echoed, set order and the full user-settings list are not drift", () => {
    const m = manifest({
      fleets: [{ ...FLEET, vpcConfig: { subnetIds: ["subnet-b", "subnet-a"] } }],
      stacks: [{ name: "s", fleet: "apps", userSettings: { FILE_DOWNLOAD: "ENABLED" } }],
    });
    const live = [
      liveFleet("apps", { VpcConfig: { SubnetIds: ["subnet-a", "subnet-b"] } }),
      liveStack("s"),
      fleetAssoc("s", "apps"),
    ];
    const r = drift({ manifest: m, live });
    expect(r.changed).toEqual([]);
    expect(hasDrift(r)).toBe(false);
  });

  it("an imageArn in the manifest compares on the ARN, not on the echoed name", () => {
    const { imageName: _, ...rest } = FLEET;
    const m = manifest({ fleets: [{ ...rest, imageArn: "arn:aws:appstream:us-east-1::image/AppStream-WinServer2022-11-12-2025" }] });
    expect(drift({ manifest: m, live: [liveFleet("apps")] }).changed).toEqual([]);
  });
});

describe("computeDrift: what it reports", () => {
  it("changed fields read manifest → live: run state, capacity, tags of others, the stack's fleet", () => {
    const m = manifest({ fleets: [FLEET], stacks: [{ name: "s", fleet: "apps" }] });
    const live = [
      liveFleet("apps", { State: "STOPPED", ComputeCapacityStatus: { Desired: 5 } }, { ...OWNED, owner: "console" }),
      liveStack("s"),
    ];
    const r = drift({ manifest: m, live });
    expect(fields(r, "Fleet/apps")).toEqual([
      ["computeCapacity.desiredInstances", 2, 5],
      ["state", "running", "stopped"],
      ["tags.owner", undefined, "console"],
    ]);
    expect(fields(r, "Stack/s")).toEqual([["fleet", "apps", undefined]]);
    expect(r.changed.find((i) => i.address === "Fleet/apps")?.state).toBe("STOPPED");
  });

  it("FleetErrors are reported with the resource even when no field changed", () => {
    const errors = [{ ErrorCode: "IAM_SERVICE_ROLE_MISSING_ENI_DESCRIBE_ACTION" as const, ErrorMessage: "role lacks ec2:DescribeNetworkInterfaces" }];
    const r = drift({ manifest: manifest({ fleets: [FLEET] }), live: [liveFleet("apps", { FleetErrors: errors })] });
    expect(r.changed).toEqual([expect.objectContaining({
      address: "Fleet/apps", diff: [], errors: [{ code: "IAM_SERVICE_ROLE_MISSING_ENI_DESCRIBE_ACTION", message: "role lacks ec2:DescribeNetworkInterfaces" }],
    })]);
  });

  it("missing and unmanaged, with whom an unmanaged resource belongs to; external names are neither", () => {
    const m = manifest({ fleets: [FLEET], external: { fleets: ["shared"] } });
    const live = [
      liveFleet("mine-old"),
      liveFleet("theirs", {}, { "appstreamctl:set": "other" }),
      liveFleet("hand", {}, {}),
      liveFleet("shared", {}, {}),
    ];
    const r = drift({ manifest: m, live });
    expect(r.missing.map((i) => i.address)).toEqual(["Fleet/apps"]);
    expect(r.unmanaged.map((i) => [i.address, i.owner, i.note])).toEqual([
      ["Fleet/hand", undefined, "not declared by any loaded manifest"],
      ["Fleet/mine-old", "t", "owned by this set but no longer declared: `plan --prune` deletes it"],
      ["Fleet/theirs", "other", "owned by the set other"],
    ]);
  });

  it("ignoreChanges and the ignore predicate drop fields and resources, and are counted", () => {
    const m = manifest({ fleets: [{ ...FLEET, ignoreChanges: ["computeCapacity"] }] });
    const live = [liveFleet("apps", { DisplayName: "Edited", ComputeCapacityStatus: { Desired: 9 } }), liveFleet("scratch-1", {}, {})];
    const rules = parseIgnore("Fleet/scratch-*\nFleet/apps displayName\n").rules;
    const r = drift({ manifest: m, live, ignored: (a, f) => isIgnored(rules, a, f) });
    expect(r.changed).toEqual([]);
    expect(r.unmanaged).toEqual([]);
    expect(r.summary).toEqual({ changed: 0, missing: 0, unmanaged: 0, ignored: 3 });
  });

  it("user memberships and image shares are reported on the field that declares them", () => {
    const m = manifest({
      stacks: [{ name: "a" }, { name: "b" }],
      users: [{ userName: "u@example.com", stacks: ["a", "b"] }],
      images: [{ name: "img", sharedWith: [{ accountId: "210987654321" }] }],
    });
    const live: LiveResource[] = [
      liveStack("a"), liveStack("b"),
      { kind: "User", name: "u@example.com", address: "User/u@example.com", spec: { userName: "u@example.com", authenticationType: "USERPOOL", enabled: false } },
      { kind: "UserAssociation", name: "a/u@example.com", address: "UserAssociation/a/u@example.com", spec: { stack: "a", user: "u@example.com" } },
      { kind: "Image", name: "img", address: "Image/img", spec: { name: "img" }, tags: OWNED },
      { kind: "ImagePermission", name: "img/210987654321", address: "ImagePermission/img/210987654321", spec: { image: "img", accountId: "210987654321", allowFleet: false, allowImageBuilder: false } },
    ];
    const r = drift({ manifest: m, live });
    expect(fields(r, "User/u@example.com")).toEqual([["enabled", true, false], ["stacks", ["a", "b"], ["a"]]]);
    expect(fields(r, "Image/img")).toEqual([["sharedWith", [{ accountId: "210987654321" }], [{ accountId: "210987654321", allowFleet: false }]]]);
  });
});

describe("withoutIgnored (for plan as well as drift)", () => {
  it("drops ignored lines, and a field change only when every line of it is ignored", () => {
    const cmp = {
      diffs: [
        { path: "computeCapacity.desiredInstances", before: 5, after: 2, sensitive: false, why: "live" as const },
        { path: "displayName", before: "x", after: "Apps", sensitive: false, why: "live" as const },
      ],
      changes: [
        { field: "computeCapacity", path: "computeCapacity", mode: "live" as const, clear: false, role: "api" as const },
        { field: "displayName", path: "displayName", mode: "live" as const, clear: false, role: "api" as const },
      ],
    };
    const out = withoutIgnored(cmp, ["computeCapacity.desiredInstances"]);
    expect(out.diffs.map((d) => d.path)).toEqual(["displayName"]);
    expect(out.changes.map((c) => c.field)).toEqual(["displayName"]);
    expect(withoutIgnored(cmp, undefined)).toBe(cmp);
  });
});

describe(".appstreamignore rules", () => {
  it("globs: * stops at the separator, ** does not", () => {
    expect(globToRegExp("UserAssociation/*/*", "/").test("UserAssociation/s/u@example.com")).toBe(true);
    expect(globToRegExp("Fleet/*", "/").test("FleetAssociation/s/f")).toBe(false);
    expect(globToRegExp("**", "/").test("FleetAssociation/s/f")).toBe(true);
    expect(globToRegExp("tags.*", ".").test("tags.owner")).toBe(true);
  });

  it("comments, negation, field paths (and what lies below them); the last match wins", () => {
    const { rules, problems } = parseIgnore(["# ignore every fleet", "Fleet/*", "!Fleet/prod-*", "Fleet/prod-* computeCapacity  # autoscaled", "Stack/a b c", ""].join("\n"));
    expect(problems).toEqual([{ line: 5, message: 'expected "ADDRESS-GLOB [FIELD-PATH-GLOB]", got "Stack/a b c"' }]);
    expect(isIgnored(rules, "Fleet/dev")).toBe(true);
    expect(isIgnored(rules, "Fleet/dev", "displayName")).toBe(true);
    expect(isIgnored(rules, "Fleet/prod-1")).toBe(false);
    expect(isIgnored(rules, "Fleet/prod-1", "displayName")).toBe(false);
    expect(isIgnored(rules, "Fleet/prod-1", "computeCapacity.desiredInstances")).toBe(true);
    expect(isIgnored(rules, "Stack/x")).toBe(false);
  });
});

describe("exportManifest", () => {
  it("leaves out AWS defaults and the appstreamctl: tags, inlines the stack's fleet, sorts by name", () => {
    const live = [
      liveFleet("b", {}, { ...OWNED, team: "euc", "appstreamctl:protect": "true" }),
      liveFleet("a", { StreamView: "DESKTOP", State: "STOPPED" }, {}),
      liveStack("s"),
      fleetAssoc("s", "a"),
    ];
    const out = exportManifest({ live, region: "us-east-1", schema: "./schema/appstream.schema.json" });
    expect(out.set).toBe("t");
    const doc = parse(out.text);
    expect(doc.fleets.map((f: { name: string }) => f.name)).toEqual(["a", "b"]);
    expect(doc.fleets[0]).toEqual({
      name: "a", instanceType: "stream.standard.medium", imageName: "AppStream-WinServer2022-11-12-2025",
      computeCapacity: { desiredInstances: 2 }, maxUserDurationInSeconds: 57600, disconnectTimeoutInSeconds: 900,
      displayName: "Apps", streamView: "DESKTOP", state: "stopped",
    });
    expect(doc.fleets[1].tags).toEqual({ team: "euc" });
    expect(doc.fleets[1].protect).toBe(true);
    expect(doc.stacks).toEqual([{ name: "s", fleet: "a" }]);
    expect(out.untagged).toEqual(["Fleet/a"]);
  });
});
