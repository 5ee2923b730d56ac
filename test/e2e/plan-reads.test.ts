/**
 * A plan reads only what it can change or what decides a change (kinds/reads.ts): the kinds the manifest
 * declares, plus, with --prune, every kind that can hold resources of this set. Measured on the emulator's
 * call log, the in-process CLI against it over HTTP.
 */
import { AssociateFleetCommand, UpdateFleetCommand, BatchAssociateUserStackCommand, CreateFleetCommand, CreateImageBuilderCommand, CreateStackCommand, CreateUserCommand } from "@aws-sdk/client-appstream";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/core/plan-types.js";
import { calls, control, fleetInput, useEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const MINE = { "appstreamctl:set": "mine" };
const PUBLIC = "AppStream-WinServer2022-11-12-2025";
const fleet = (name: string) =>
  `  - { name: ${name}, instanceType: stream.standard.medium, imageName: ${PUBLIC}, computeCapacity: { desiredInstances: 2 }, state: stopped }`;
const fleetsOnly = ["apiVersion: appstreamctl/v1", "metadata: { name: mine }", "fleets:", fleet("f1"), fleet("f2"), ""].join("\n");

beforeAll(fakeAwsCredentials);

describe("what a plan reads", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      for (const name of ["f1", "f2"]) await t.client.send(new CreateFleetCommand(fleetInput(name, { Tags: MINE }) as never));
      await t.client.send(new CreateStackCommand({ Name: "s1", Tags: MINE }));
      await t.client.send(new CreateImageBuilderCommand({ Name: "b1", InstanceType: "stream.standard.medium", ImageName: PUBLIC, Tags: MINE }));
      await t.client.send(new CreateUserCommand({ UserName: "ann@example.com", AuthenticationType: "USERPOOL" }));
      await t.client.send(new BatchAssociateUserStackCommand({ UserStackAssociations: [{ StackName: "s1", UserName: "ann@example.com", AuthenticationType: "USERPOOL" }] }));
      await control(t.emu.url, "POST", "clock", { advanceSeconds: 60 });
    },
  });

  const readsOf = async (args: string[]) => {
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", writeManifest(fleetsOnly), "-o", "json", "plan", ...args]);
    expect(r.code).toBe(0);
    return [...new Set((await calls(emulator().emu.url)).map((c) => c.operation))].sort();
  };

  it("a fleets-only manifest reads fleets and their tags, not users, memberships, stacks, builders or images", async () => {
    expect(await readsOf([])).toEqual(["DescribeFleets", "sts:GetCallerIdentity", "tagging:GetResources"]);
  });

  it("with --prune it reads every kind that can hold this set's resources (not the user pool: it is not exclusive)", async () => {
    const ops = await readsOf(["--prune"]);
    for (const op of ["DescribeFleets", "DescribeStacks", "DescribeImageBuilders", "DescribeImages"]) expect(ops).toContain(op);
    expect(ops).not.toContain("DescribeUsers");
    expect(ops).not.toContain("DescribeUserStackAssociations");
  });
});

const N = 20;
const estateManifest = ["apiVersion: appstreamctl/v1", "metadata: { name: mine }", "fleets:",
  ...Array.from({ length: N }, (_, i) => fleet(`f${i}`).replace("desiredInstances: 2", `desiredInstances: ${i === 3 ? 3 : 2}`)),
  "stacks:", ...Array.from({ length: N }, (_, i) => `  - { name: s${i}, fleet: f${i} }`), ""].join("\n");

describe("a targeted plan on an estate of 20 fleets and 20 stacks", () => {
  const emulator = useEmulator({ quotas: { fleets: N, stacks: N } }, {
    scope: "all",
    setUp: async (t) => {
      for (let i = 0; i < N; i++) {
        await t.client.send(new CreateFleetCommand(fleetInput(`f${i}`, { Tags: MINE }) as never));
        await t.client.send(new CreateStackCommand({ Name: `s${i}`, Tags: MINE }));
        await t.client.send(new AssociateFleetCommand({ FleetName: `f${i}`, StackName: `s${i}` }));
      }
      await control(t.emu.url, "POST", "clock", { advanceSeconds: 60 });
    },
  });

  const plan = async (args: string[]) => {
    const file = writeManifest(estateManifest);
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", file, "-o", "json", "plan", ...args]);
    expect(r.code).toBe(0);
    return { plan: JSON.parse(r.stdout) as Plan, calls: await calls(emulator().emu.url) };
  };
  const only = (p: Plan, addresses: readonly string[]) => ({
    changes: p.resourceChanges.filter((c) => addresses.includes(c.address)),
    steps: p.steps.filter((s) => addresses.includes(s.address)),
  });

  it.each([
    ["Fleet/f3", ["Fleet/f3"]],
    // Its fleet is a membership's parent, not a dependency of the stack: only the stack is planned.
    ["Stack/s3", ["Stack/s3"]],
  ])("--target %s reads that resource and what it depends on, by name, and plans as the whole plan does", async (target, addresses) => {
    const whole = await plan([]);
    const one = await plan(["--target", target]);
    expect(one.calls.length).toBeLessThanOrEqual(10);
    const listings = one.calls.filter((c) => c.operation.startsWith("Describe"));
    expect(listings.length).toBeGreaterThan(0);
    expect(only(one.plan, addresses)).toEqual(only(whole.plan, addresses));
    expect(one.plan.resourceChanges.map((c) => c.address).sort()).toEqual([...addresses].sort());
    expect(whole.plan.resourceChanges.filter((c) => c.actions[0] !== "no-op").map((c) => c.address)).toEqual(["Fleet/f3"]);
  });

  const saved = async () => {
    const file = writeManifest(estateManifest);
    const out = join(dirname(file), "plan.json");
    expect((await cli(emulator().emu.url, ["-f", file, "plan", "--out", out])).code).toBe(0);
    await control(emulator().emu.url, "DELETE", "calls");
    return { file, out };
  };

  it("apply PLANFILE of a one-fleet change, the fleet changed since: exit 5, nothing changed, only that fleet re-read", async () => {
    const { file, out } = await saved();
    await emulator().client.send(new UpdateFleetCommand({ Name: "f3", DisplayName: "edited by hand" }));
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", file, "apply", out]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("The saved plan is stale: 1 resource(s) changed since it was made; nothing was changed.\n  ~ Fleet/f3 changed since the plan\n");
    const log = await calls(emulator().emu.url);
    expect(log.filter((c) => c.mutating)).toEqual([]);
    expect(log.filter((c) => c.operation === "DescribeFleets").length).toBe(1);
  });

  it("apply PLANFILE of a one-fleet change makes at most 10 reads on the 20-fleet estate, and applies it", async () => {
    const { file, out } = await saved();
    const r = await cli(emulator().emu.url, ["-f", file, "apply", out]);
    expect(r.code).toBe(0);
    const log = await calls(emulator().emu.url);
    expect(log.filter((c) => c.mutating).map((c) => c.operation)).toEqual(["UpdateFleet"]);
    const reads = log.filter((c) => !c.mutating);
    expect(reads.length).toBeLessThanOrEqual(10);
    // Neither the other fleets nor any stack is listed.
    expect(reads.filter((c) => c.operation === "DescribeStacks")).toEqual([]);
  });
});
