/**
 * Ownership is never crossed, end to end (the CLI in-process, the real SDK, the emulator over HTTP):
 * a declared name that another set's resource carries fails the plan and is never touched unless
 * `--adopt` names it; a create that finds its resource made in the meantime (out of band, between the
 * plan's read and the create) is planned again and converged — or, when another set owns what appeared,
 * reported as a failure with the resource left as it was.
 */
import { CreateFleetCommand, CreateStackCommand, DescribeFleetsCommand, ListTagsForResourceCommand } from "@aws-sdk/client-appstream";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { calls, clientOf, control, fleetInput, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { racingProxy, type RacingProxy } from "./racing-proxy.js";

const OTHER = { "appstreamctl:set": "other-team" };

const manifest = `apiVersion: appstreamctl/v1
metadata: { name: mine }
fleets:
  - name: shared-name
    instanceType: stream.standard.small
    imageName: AppStream-WinServer2022-11-12-2025
    computeCapacity: { desiredInstances: 1 }
    displayName: Mine
stacks:
  - { name: portal, fleet: shared-name }
`;

beforeAll(fakeAwsCredentials);

/** The fleet as the emulator stores it and its tags, to compare before and after. */
async function fleetAndTags(t: TestEmulator, name: string): Promise<string> {
  const f = (await t.client.send(new DescribeFleetsCommand({ Names: [name] }))).Fleets![0]!;
  const tags = (await t.client.send(new ListTagsForResourceCommand({ ResourceArn: f.Arn! }))).Tags;
  return JSON.stringify({ ...f, tags });
}

describe("another set's fleet with the same name as a declared one", () => {
  let t: TestEmulator;
  let file: string;
  beforeAll(async () => {
    t = await startTestEmulator();
    await t.client.send(new CreateFleetCommand(fleetInput("shared-name", { DisplayName: "Theirs", Tags: OTHER })));
    file = writeManifest(manifest);
  });
  afterAll(async () => t.close());

  it("plan and apply fail naming both sets (exit 1); the fleet is untouched, nothing is mutated", async () => {
    const before = await fleetAndTags(t, "shared-name");
    await control(t.emu.url, "DELETE", "calls");
    const plan = await cli(t.emu.url, ["-f", file, "plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      'error [plan.foreign-owner] Fleet/shared-name belongs to the set "other-team" (tag appstreamctl:set=other-team), not to this manifest\'s set "mine"',
    );
    expect(plan.stderr).toContain("--adopt Fleet/shared-name");
    const apply = await cli(t.emu.url, ["-f", file, "apply", "--auto-approve", "--allow-disruption", "--prune"]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("[plan.foreign-owner]");
    expect((await calls(t.emu.url)).filter((c) => c.mutating)).toEqual([]);
    expect(await fleetAndTags(t, "shared-name")).toBe(before);
  });

  it("plan --adopt takes it over explicitly: the saved plan re-tags and converges it, then the plan is empty", async () => {
    await control(t.emu.url, "DELETE", "calls");
    const out = join(dirname(file), "adopt.plan.json");
    const plan = await cli(t.emu.url, ["-f", file, "plan", "--adopt", "Fleet/shared-name", "--out", out]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('adopted from the set "other-team" (--adopt): re-tagged appstreamctl:set=mine');
    const apply = await cli(t.emu.url, ["-f", file, "apply", out, "--auto-approve"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const fleetCalls = (await calls(t.emu.url)).filter((c) => c.mutating && c.resource?.endsWith("shared-name"));
    expect(fleetCalls.map((c) => `${c.operation} ${c.outcome}`)).toEqual(
      expect.arrayContaining(["UpdateFleet ok", "TagResource ok", "StartFleet ok", "AssociateFleet ok"]),
    );
    const after = JSON.parse(await fleetAndTags(t, "shared-name"));
    expect(after).toMatchObject({ DisplayName: "Mine", InstanceType: "stream.standard.small", tags: { "appstreamctl:set": "mine" } });
    const again = await cli(t.emu.url, ["-f", file, "plan", "--detailed-exitcode"]);
    expect(again.code, again.stdout).toBe(0);
  });
});

describe("apply --adopt", () => {
  it("takes over another set's stack in one run; without it the same apply fails", async () => {
    const t = await startTestEmulator();
    try {
      await t.client.send(new CreateStackCommand({ Name: "portal", Tags: OTHER }));
      const file = writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: mine }\nstacks:\n  - { name: portal, displayName: Portal }\n");
      expect((await cli(t.emu.url, ["-f", file, "apply", "--auto-approve"])).code).toBe(1);
      const r = await cli(t.emu.url, ["-f", file, "apply", "--auto-approve", "--adopt", "Stack/portal"]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect((await calls(t.emu.url)).filter((c) => c.mutating).map((c) => c.operation)).toEqual(["CreateStack", "UpdateStack", "TagResource"]);
      expect((await cli(t.emu.url, ["-f", file, "plan", "--detailed-exitcode"])).code).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe("a create that finds its resource made between the plan and the create", () => {
  let t: TestEmulator;
  let proxy: RacingProxy;
  beforeAll(async () => {
    t = await startTestEmulator();
    proxy = await racingProxy(t.emu.url);
  });
  afterEach(async () => {
    await control(t.emu.url, "POST", "reset");
  });
  afterAll(async () => {
    await proxy.close();
    await t.close();
  });

  it("untagged: planned again against what is there and converged, and the summary says so", async () => {
    const outOfBand = clientOf(t.emu.url);
    proxy.beforeFirst("CreateFleet", async () => {
      await outOfBand.send(new CreateFleetCommand(fleetInput("shared-name", { DisplayName: "Console", ComputeCapacity: { DesiredInstances: 1 }, InstanceType: "stream.standard.small" })));
    });
    const file = writeManifest(manifest);
    const r = await cli(proxy.url, ["-f", file, "apply", "--auto-approve"]);
    outOfBand.destroy();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const onFleet = (await calls(t.emu.url)).filter((c) => c.mutating && (c.resource === "shared-name" || c.resource?.endsWith("fleet/shared-name")));
    // The out-of-band create, then this run's: refused, planned again, converged; the stack then joined.
    expect(onFleet.map((c) => `${c.operation} ${c.outcome}`)).toEqual([
      "CreateFleet ok",
      "CreateFleet ResourceAlreadyExistsException",
      "UpdateFleet ok",
      "StartFleet ok",
      "TagResource ok",
      "AssociateFleet ok",
    ]);
    const summary = /✓ Fleet\/shared-name — \d+ steps, [^(]*\(already existed when created: planned again and converged with ([a-z., -]+)\)/.exec(r.stdout);
    expect(summary?.[1]?.split(", ").sort()).toEqual(["fleet.start", "fleet.update", "tags.update"]);
    const after = JSON.parse(await fleetAndTags(t, "shared-name"));
    expect(after).toMatchObject({ DisplayName: "Mine", State: "RUNNING", tags: { "appstreamctl:set": "mine" } });
    const again = await cli(t.emu.url, ["-f", file, "plan", "--detailed-exitcode"]);
    expect(again.code, again.stdout).toBe(0);
  });

  it("owned by another set: the create fails naming both sets (exit 3), what appeared is left as it was", async () => {
    const outOfBand = clientOf(t.emu.url);
    proxy.beforeFirst("CreateStack", async () => {
      await outOfBand.send(new CreateStackCommand({ Name: "portal", DisplayName: "Theirs", Tags: OTHER }));
    });
    const file = writeManifest(manifest);
    const r = await cli(proxy.url, ["-f", file, "apply", "--auto-approve"]);
    outOfBand.destroy();
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain(
      "✗ Stack/portal — stack.create failed after",
    );
    expect(r.stdout).toContain('Stack/portal already existed when created, and planning it again failed: Stack/portal belongs to the set "other-team"');
    expect(r.stdout).toContain("- FleetAssociation/portal/shared-name — fleet-association.create skipped");
    const onStack = (await calls(t.emu.url)).filter((c) => c.mutating && (c.resource === "portal" || c.resource?.endsWith("stack/portal")));
    expect(onStack.map((c) => `${c.operation} ${c.outcome}`)).toEqual(["CreateStack ok", "CreateStack ResourceAlreadyExistsException"]);
  });
});
