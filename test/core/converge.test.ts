/**
 * Pure regression tests of the convergence classes (the e2e side is test/e2e/converge.test.ts): each
 * asserts the plan's values for one class, on live resources normalized the way the service returns them.
 */
import { describe, expect, it } from "vitest";
import { compareTags } from "../../src/core/diff.js";
import { AppError } from "../../src/core/errors.js";
import { exportManifest } from "../../src/core/export.js";
import { buildPlan } from "../../src/core/plan.js";
import type { Plan } from "../../src/core/plan-types.js";
import { resolveSelectors } from "../../src/core/selectors.js";
import { WRITTEN_TAG } from "../../src/core/written.js";
import type { LiveResource, ManifestDoc, ManifestView } from "../../src/kinds/contract.js";
import { image as imageKind, normalizeImage } from "../../src/kinds/image.js";
import { FLEET, fleetAssoc, liveFleet, liveStack, manifest, OWNED } from "./fixtures.js";

function plan(m: ManifestDoc, live: LiveResource[], targets?: string[]): Plan {
  return buildPlan({ manifest: m, live, region: "us-east-1", prune: false, createdAt: "2026-12-05T00:00:00.000Z", ...(targets ? { targets } : {}) });
}
const change = (p: Plan, address: string) => p.resourceChanges.find((c) => c.address === address)!;

describe("user settings: one canonical form for both sides", () => {
  const live = liveStack("s", {
    UserSettings: [
      { Action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", Permission: "ENABLED", MaximumLength: 20_971_520 },
      { Action: "FILE_UPLOAD", Permission: "DISABLED" },
    ],
  });
  it("shorthand and object form of the same setting plan nothing; a service-filled maximum length is not compared", () => {
    for (const value of ["ENABLED", { permission: "ENABLED" }]) {
      const p = plan(manifest({ stacks: [{ name: "s", userSettings: { CLIPBOARD_COPY_TO_LOCAL_DEVICE: value, FILE_UPLOAD: { permission: "DISABLED" } } }] }), [live]);
      expect(change(p, "Stack/s").actions).toEqual(["no-op"]);
    }
  });
  it("a declared maximum length is compared, and the update sends the object form", () => {
    const p = plan(manifest({ stacks: [{ name: "s", userSettings: { CLIPBOARD_COPY_TO_LOCAL_DEVICE: { permission: "ENABLED", maximumLength: 100 } } }] }), [live]);
    expect(change(p, "Stack/s").diff).toEqual([
      { path: "userSettings.CLIPBOARD_COPY_TO_LOCAL_DEVICE.maximumLength", before: 20_971_520, after: 100, sensitive: false, why: "live" },
    ]);
    expect(p.steps[0]!.params.UserSettings).toEqual([{ Action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", Permission: "ENABLED", MaximumLength: 100 }]);
  });
});

describe("removed fields go back to the service default", () => {
  it("disableIMDSV1 removed from a fleet that has it: UpdateFleet DisableIMDSV1 false, with a stop", () => {
    const p = plan(manifest({ fleets: [FLEET] }), [liveFleet("apps", { DisableIMDSV1: true })]);
    expect(change(p, "Fleet/apps").diff).toEqual([{ path: "disableIMDSV1", before: true, after: false, sensitive: false, why: "requires-stop" }]);
    expect(p.steps.find((s) => s.op === "fleet.update")!.params).toEqual({ Name: "apps", DisableIMDSV1: false });
  });
  it("a disabled application setting with a leftover settings group is the default: nothing planned", () => {
    const p = plan(manifest({ stacks: [{ name: "s" }] }), [liveStack("s", { ApplicationSettings: { Enabled: false, SettingsGroup: "old" } })]);
    expect(change(p, "Stack/s").actions).toEqual(["no-op"]);
  });
});

describe("fields never read back are remembered by digest", () => {
  const img = (tags: Record<string, string>) => ({ ...normalizeImage({ Name: "golden", Arn: "arn:aws:appstream:us-east-1:123456789012:image/golden", State: "AVAILABLE" }), tags });
  const source = (ami: string) => ({ importFromAmi: { sourceAmiId: ami, iamRoleArn: "arn:aws:iam::123456789012:role/import" } });
  it("the create tags the digest; the same source plans nothing; another source replaces, naming the field", () => {
    const created = plan(manifest({ images: [{ name: "golden", source: source("ami-00000001") }] }), []);
    const tags = created.steps[0]!.params.Tags as Record<string, string>;
    expect(tags[WRITTEN_TAG]).toMatch(/^source=[0-9a-f]{12}$/);
    expect(change(plan(manifest({ images: [{ name: "golden", source: source("ami-00000001") }] }), [img({ ...OWNED, ...tags })]), "Image/golden").actions).toEqual(["no-op"]);
    const p = plan(manifest({ images: [{ name: "golden", source: source("ami-00000002") }] }), [img({ ...OWNED, ...tags })]);
    expect(change(p, "Image/golden").actions).toEqual(["delete", "create"]);
    expect(change(p, "Image/golden").diff.map((d) => d.path)).toEqual(["source"]);
  });
  it("a resource without the digest tag (adopted) is not compared, and not given one", () => {
    const p = plan(manifest({ images: [{ name: "golden", source: source("ami-00000001") }] }), [img(OWNED)]);
    expect(change(p, "Image/golden").actions).toEqual(["no-op"]);
  });
});

describe("tags AWS owns", () => {
  it("are never planned for removal, and export leaves them out", () => {
    expect(compareTags({ team: "a" }, { team: "a", "aws:cloudformation:stack-name": "x" }).remove).toEqual([]);
    const out = exportManifest({ live: [liveStack("s", {}, { ...OWNED, "aws:cloudformation:stack-name": "x", team: "a" })], region: "us-east-1", schema: "s.json" });
    expect(out.text).not.toContain("aws:cloudformation");
    expect(out.text).toContain("team: a");
  });
});

describe("--target", () => {
  it("an address matching nothing throws plan.target with the closest address", () => {
    const attempt = () => plan(manifest({ stacks: [{ name: "apps" }] }), [], ["Stack/aps"]);
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow("--target Stack/aps matches no resource of the manifest or the Region; did you mean Stack/apps?");
  });
});

describe("selectors see the images the plan produces", () => {
  it("a declared image with a source that is not there yet is the newest match", () => {
    const m = manifest({
      images: [{ name: "corp-2", source: { copyOf: { region: "us-west-2", name: "corp-2" } } }],
      fleets: [{ ...FLEET, imageName: undefined, imageSelector: { nameRegex: "^corp-" } }],
    });
    const { manifest: resolved, reads } = resolveSelectors(m, [{ name: "corp-1", state: "AVAILABLE", visibility: "PRIVATE", createdTime: 5 }]);
    expect(resolved.fleets![0]!.imageName).toBe("corp-2");
    expect(reads[0]!.result).toBe("corp-2 (produced by this plan: waited for until AVAILABLE)");
  });
  it("a PUBLIC-only selector does not pick a produced (private) image", () => {
    const m = manifest({
      images: [{ name: "corp-2", source: { copyOf: { region: "us-west-2", name: "corp-2" } } }],
      fleets: [{ ...FLEET, imageName: undefined, imageSelector: { nameRegex: "^corp-", type: "PUBLIC" } }],
    });
    expect(() => resolveSelectors(m, [])).toThrow("matches no AVAILABLE image, and no image this plan produces");
  });
  it("selectorNewestProduced: among several created images the pick is created last, after the others it matches", () => {
    const imp = { importFromAmi: { sourceAmiId: "ami-0123456789abcdef0", iamRoleArn: "arn:aws:iam::123456789012:role/import" } };
    const m = manifest({
      // corp-b updates corp-c, so it is created after it whatever the manifest order says.
      images: [{ name: "corp-b", source: { updateOf: "corp-c" } }, { name: "corp-a", source: imp }, { name: "corp-c", source: imp }],
      fleets: [{ ...FLEET, imageName: undefined, imageSelector: { nameRegex: "^corp-", type: "PRIVATE" } }],
    });
    const { manifest: resolved, reads } = resolveSelectors(m, [{ name: "corp-0", state: "AVAILABLE", visibility: "PRIVATE", createdTime: 5 }]);
    expect(resolved.fleets![0]!.imageName).toBe("corp-b");
    expect(reads[0]!.result).toBe("corp-b (produced by this plan, created after corp-a, corp-c so that it is the newest: waited for until AVAILABLE)");
    const p = plan(resolved, []);
    const first = (address: string) => p.steps.find((s) => s.address === address)!;
    const last = (address: string) => p.steps.filter((s) => s.address === address).at(-1)!;
    expect(first("Image/corp-b").dependsOn).toEqual(expect.arrayContaining([last("Image/corp-a").id, last("Image/corp-c").id]));
    expect(first("Image/corp-a").dependsOn).toEqual([]);
    const order = p.steps.map((s) => s.address);
    expect(order.lastIndexOf("Image/corp-a")).toBeLessThan(order.indexOf("Image/corp-b"));
    expect(order.lastIndexOf("Image/corp-c")).toBeLessThan(order.indexOf("Image/corp-b"));
  });
});

describe("fields an API cannot set are refused, not planned forever", () => {
  const view: ManifestView = { names: () => new Set(), find: () => undefined, defaultTags: () => ({}), entries: () => [] };
  it("a copied image's displayName: CopyImage has no such member", () => {
    const v = imageKind.rules({ name: "c", displayName: "Copy", source: { copyOf: { region: "us-west-2", name: "g" } } }, view);
    expect(v).toEqual([{ code: "rule.image-source-form", path: ["displayName"], message: "a copy keeps the source image's displayName: CopyImage cannot set one", hint: "remove displayName" }]);
  });
});

describe("joinedStackMove: a user association waits for what the service judges it by", () => {
  const user = (name: string): LiveResource => ({ kind: "User", name, address: `User/${name}`, spec: { userName: name, authenticationType: "USERPOOL", enabled: true } });
  it("a stack's fleet losing its domain join: the membership is created after the fleet's update", () => {
    const live = [liveFleet("apps", { DomainJoinInfo: { DirectoryName: "corp.example.com" } }), liveStack("s"), fleetAssoc("s", "apps"), user("a@example.com")];
    const p = plan(manifest({ fleets: [FLEET], stacks: [{ name: "s", fleet: "apps" }], users: [{ userName: "a@example.com", stacks: ["s"] }] }), live);
    expect(change(p, "Fleet/apps").diff.map((d) => d.path)).toContain("domainJoinInfo");
    const fleetLast = p.steps.filter((s) => s.address === "Fleet/apps").at(-1)!;
    const membership = p.steps.find((s) => s.address === "UserAssociation/s/a@example.com")!;
    expect(membership.dependsOn).toContain(fleetLast.id);
  });
  it("a stack moving to another fleet: the membership is created after the old association goes", () => {
    const live = [liveFleet("apps"), liveFleet("other"), liveStack("s"), fleetAssoc("s", "apps"), user("a@example.com")];
    const p = plan(manifest({ fleets: [FLEET, { ...FLEET, name: "other" }], stacks: [{ name: "s", fleet: "other" }], users: [{ userName: "a@example.com", stacks: ["s"] }] }), live);
    const membership = p.steps.find((s) => s.address === "UserAssociation/s/a@example.com")!;
    const ids = (address: string) => p.steps.filter((s) => s.address === address).map((s) => s.id);
    expect(membership.dependsOn).toContain(ids("FleetAssociation/s/apps").at(-1));
    // A new association never makes it legal: waiting for it would only hold the membership back.
    expect(membership.dependsOn).not.toContain(ids("FleetAssociation/s/other").at(-1));
    const order = p.steps.map((s) => s.address);
    expect(order.indexOf("UserAssociation/s/a@example.com")).toBeGreaterThan(order.lastIndexOf("FleetAssociation/s/apps"));
  });
});
