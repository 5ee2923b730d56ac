/**
 * Tags through the tagging index, end to end (the CLI in-process, the real SDK, the emulator over HTTP):
 * the index lags (`tagIndexLag`), so nothing is changed, refused or pruned on its word alone — each such
 * decision is confirmed by a direct ListTagsForResource; and a caller refused tag:GetResources reads tags
 * one resource at a time, with a note.
 */
import { CreateFleetCommand, CreateStackCommand, TagResourceCommand, UntagResourceCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/core/plan-types.js";
import { calls, control, fleetInput, type TestEmulator, useEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const MINE = { "appstreamctl:set": "mine" };
const OTHER = { "appstreamctl:set": "other-team" };
const fleetArn = (name: string) => `arn:aws:appstream:us-east-1:123456789012:fleet/${name}`;

const fleet = (name: string) =>
  `  - { name: ${name}, instanceType: stream.standard.medium, imageName: AppStream-WinServer2022-11-12-2025, computeCapacity: { desiredInstances: 2 }, state: stopped }`;
const manifest = (stacks: string[]) =>
  ["apiVersion: appstreamctl/v1", "metadata: { name: mine }", "fleets:", fleet("f1"), fleet("f2"), "stacks:", ...stacks.map((s) => `  - { name: ${s} }`), ""].join("\n");

beforeAll(fakeAwsCredentials);

async function estate(t: TestEmulator): Promise<void> {
  for (const name of ["f1", "f2", "old"]) await t.client.send(new CreateFleetCommand(fleetInput(name, { Tags: MINE }) as never));
  await t.client.send(new CreateStackCommand({ Name: "s1", Tags: MINE }));
  // The index has caught up with all of that.
  await control(t.emu.url, "POST", "clock", { advanceSeconds: 60 });
}

describe("a lagging tagging index", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      await estate(emulator());
      expect((await control(t.emu.url, "POST", "faults", { spec: "tagIndexLag=30s" })).status).toBe(200);
    },
  });

  it("plan --prune does not delete a fleet the index still shows as ours once a direct read shows another owner", async () => {
    await emulator().client.send(new TagResourceCommand({ ResourceArn: fleetArn("old"), Tags: OTHER }));
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", writeManifest(manifest(["s1"])), "-o", "json", "plan", "--prune"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.resourceChanges.filter((c) => c.actions[0] !== "no-op")).toEqual([]);
    const log = await calls(emulator().emu.url);
    expect(log.filter((c) => c.operation === "ListTagsForResource").map((c) => c.resource)).toEqual([fleetArn("old")]);
    expect(log.filter((c) => c.operation === "tagging:GetResources")).toHaveLength(1);
    expect(log.filter((c) => c.mutating)).toEqual([]);
  });

  it("a declared stack another set tagged moments ago (not yet indexed) is refused, not re-tagged", async () => {
    await emulator().client.send(new CreateStackCommand({ Name: "s2", Tags: OTHER }));
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", writeManifest(manifest(["s1", "s2"])), "apply", "--auto-approve"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [plan.foreign-owner] Stack/s2 belongs to the set "other-team"');
    const log = await calls(emulator().emu.url);
    expect(log.filter((c) => c.operation === "ListTagsForResource").map((c) => c.resource)).toEqual(["arn:aws:appstream:us-east-1:123456789012:stack/s2"]);
    expect(log.filter((c) => c.mutating)).toEqual([]);
  });
});

describe("a lagging tagging index and drift", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      await t.client.send(new CreateFleetCommand(fleetInput("f3", { Tags: { ...MINE, team: "x" } }) as never));
      await estate(emulator());
      await control(t.emu.url, "POST", "faults", { spec: "tagIndexLag=30s" });
    },
  });

  it("does not report a tag the index still shows once a direct read shows it removed", async () => {
    const file = writeManifest(manifest(["s1"]).replace("fleets:\n", `fleets:\n${fleet("f3")}\n`));
    const before = await cli(emulator().emu.url, ["-f", file, "-o", "json", "drift"]);
    expect(before.code).toBe(2);
    expect(JSON.parse(before.stdout).changed.map((c: { address: string }) => c.address)).toEqual(["Fleet/f3"]);
    await emulator().client.send(new UntagResourceCommand({ ResourceArn: fleetArn("f3"), TagKeys: ["team"] }));
    await control(emulator().emu.url, "DELETE", "calls");
    const after = await cli(emulator().emu.url, ["-f", file, "-o", "json", "drift"]);
    const report = JSON.parse(after.stdout);
    expect(report.changed).toEqual([]);
    expect((await calls(emulator().emu.url)).filter((c) => c.operation === "ListTagsForResource").map((c) => c.resource)).toEqual([fleetArn("f3")]);
  });
});

describe("credentials refused tag:GetResources", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      await estate(emulator());
      await control(t.emu.url, "POST", "faults", { spec: "GetResources:denied=1" });
    },
  });

  it("plan reads each declared resource's tags directly after one refused GetResources, with a note on stderr", async () => {
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", writeManifest(manifest(["s1"])), "-o", "json", "plan"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("note: reading tags one resource at a time (ListTagsForResource): these credentials may not call tag:GetResources");
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.resourceChanges.filter((c) => c.actions[0] !== "no-op")).toEqual([]);
    const log = await calls(emulator().emu.url);
    expect(log.filter((c) => c.operation === "tagging:GetResources").map((c) => c.outcome)).toEqual(["AccessDeniedException"]);
    expect(log.filter((c) => c.operation === "ListTagsForResource").map((c) => c.resource).sort()).toEqual(
      [fleetArn("f1"), fleetArn("f2"), "arn:aws:appstream:us-east-1:123456789012:stack/s1"],
    );
  });
});
