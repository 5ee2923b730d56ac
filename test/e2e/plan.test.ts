import { CreateFleetCommand, CreateStackCommand, CreateUserCommand, AssociateFleetCommand, StartFleetCommand } from "@aws-sdk/client-appstream";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/core/plan-types.js";
import { calls, control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials, PASSWORD, writeManifest } from "./helpers.js";

const EXAMPLES = join(import.meta.dirname, "../../examples");
const IMAGE = "AppStream-WinServer2022-11-12-2025";

beforeAll(fakeAwsCredentials);

describe("plan against a fresh emulator, for every example", () => {
  let t: TestEmulator;
  beforeAll(async () => (t = await startTestEmulator()));
  afterAll(async () => t.close());

  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml"))) {
    it(`${file}: exit 2 with --detailed-exitcode, creates in dependency order, zero mutating calls`, async () => {
      await control(t.emu.url, "DELETE", "calls");
      const r = await cli(t.emu.url, ["-f", join(EXAMPLES, file), "-o", "json", "plan", "--detailed-exitcode"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(2);
      const plan = JSON.parse(r.stdout) as Plan;
      expect(plan.resourceChanges.length).toBeGreaterThan(0);
      expect(plan.resourceChanges.every((c) => c.actions.join() === "create")).toBe(true);
      const at = new Map(plan.steps.map((s, i) => [s.id, i]));
      for (const [i, s] of plan.steps.entries()) for (const d of s.dependsOn) expect(at.get(d)!).toBeLessThan(i);
      // An association is created only after both its stack and its fleet exist.
      for (const c of plan.resourceChanges.filter((c) => c.kind === "FleetAssociation")) {
        const [stack, fleet] = c.name.split("/");
        const assoc = plan.steps.findIndex((s) => s.address === c.address);
        expect(plan.steps.findIndex((s) => s.address === `Stack/${stack}`)).toBeLessThan(assoc);
        expect(plan.steps.findIndex((s) => s.address === `Fleet/${fleet}`)).toBeLessThan(assoc);
      }
      expect(r.stdout).not.toContain(PASSWORD);
      const log = await calls(t.emu.url);
      expect(log.length).toBeGreaterThan(0);
      expect(log.filter((c) => c.mutating)).toEqual([]);
    });
  }
});

describe("plan reads an estate in O(pages) calls", () => {
  let t: TestEmulator;
  const PAGE = 25;
  beforeAll(async () => {
    t = await startTestEmulator({ pageSize: PAGE, quotas: { fleets: 100, stacks: 100, users: 5000 } });
    for (let i = 0; i < 50; i++) {
      // Managed by this set already, but for one stack that was made outside appstreamctl.
      const Tags = { "appstreamctl:set": "scale" };
      await t.client.send(new CreateFleetCommand({ Name: `f${i}`, InstanceType: "stream.standard.small", ImageName: IMAGE, ComputeCapacity: { DesiredInstances: 1 }, Tags }));
      await t.client.send(new CreateStackCommand({ Name: `s${i}`, ...(i === 0 ? {} : { Tags }) }));
      await t.client.send(new AssociateFleetCommand({ StackName: `s${i}`, FleetName: `f${i}` }));
    }
    const users = Array.from({ length: 2000 }, (_, i) => `user${i}@example.com`);
    for (let i = 0; i < users.length; i += 50) {
      await Promise.all(users.slice(i, i + 50).map((u) => t.client.send(new CreateUserCommand({ UserName: u, AuthenticationType: "USERPOOL" }))));
    }
  }, 120_000);
  afterAll(async () => t.close());

  it("50 fleets, 50 stacks, 2,000 users: exact call counts (tags in one GetResources page), none mutating", async () => {
    const fleets = Array.from({ length: 50 }, (_, i) => `  - { name: f${i}, instanceType: stream.standard.small, imageName: ${IMAGE}, computeCapacity: { desiredInstances: 1 }, state: stopped }`);
    const stacks = Array.from({ length: 50 }, (_, i) => `  - { name: s${i}, fleet: f${i} }`);
    const users = Array.from({ length: 2000 }, (_, i) => `  - userName: user${i}@example.com`);
    const file = writeManifest(["apiVersion: appstreamctl/v1", "metadata: { name: scale }", "fleets:", ...fleets, "stacks:", ...stacks, "users:", ...users, ""].join("\n"));
    await control(t.emu.url, "DELETE", "calls");
    const r = await cli(t.emu.url, ["-f", file, "-o", "json", "plan"]);
    expect(r.code).toBe(0);
    const log = await calls(t.emu.url);
    expect(log.filter((c) => c.mutating)).toEqual([]);
    const byOp: Record<string, number> = {};
    for (const c of log) byOp[c.operation] = (byOp[c.operation] ?? 0) + 1;
    // One listing per kind (pages of 25); the tags of all 100 fleets and stacks in one page of the tagging
    // index (tags are never echoed, §10), plus one direct read confirming the one resource whose tags the
    // plan changes; one association read per stack — never one Describe or tag read per resource. Kinds
    // the manifest does not declare (builders, images, directory configs) are not read, nor the themes and
    // entitlements of stacks that do not write those fields.
    expect(byOp).toEqual({
      DescribeFleets: 2, DescribeStacks: 2, DescribeUsers: 20,
      "tagging:GetResources": 1, ListTagsForResource: 1, ListAssociatedFleets: 50, DescribeUserStackAssociations: 50,
      "sts:GetCallerIdentity": 1,
    });
    // Only the missing ownership tag of s0 differs.
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.resourceChanges.filter((c) => c.actions[0] !== "no-op").map((c) => c.address)).toEqual(["Stack/s0"]);
  });
});

describe("disruption shown with the active-session count", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
    await t.client.send(new CreateFleetCommand({ Name: "eng", InstanceType: "stream.standard.medium", ImageName: IMAGE, ComputeCapacity: { DesiredInstances: 3 } }));
    await t.client.send(new StartFleetCommand({ Name: "eng" }));
    await t.client.send(new CreateStackCommand({ Name: "eng" }));
    await t.client.send(new AssociateFleetCommand({ StackName: "eng", FleetName: "eng" }));
    expect((await control(t.emu.url, "POST", "sessions", { stackName: "eng", fleetName: "eng", count: 3 })).status).toBe(200);
  });
  afterAll(async () => t.close());

  it("instanceType on a running fleet: fleet-restart with stop/update/start and 3 sessions in the text", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: s }
fleets:
  - { name: eng, instanceType: stream.standard.large, imageName: ${IMAGE}, computeCapacity: { desiredInstances: 3 } }
stacks:
  - { name: eng, fleet: eng }
`);
    const text = await cli(t.emu.url, ["-f", file, "plan", "--detailed-exitcode"]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain("! ~ Fleet/eng");
    expect(text.stdout).toContain("ends 3 active sessions");
    expect(text.stdout).toMatch(/instanceType: "stream\.standard\.medium" → "stream\.standard\.large"\s+# requires stopped fleet/);
    const json = JSON.parse((await cli(t.emu.url, ["-f", file, "-o", "json", "plan"])).stdout) as Plan;
    const c = json.resourceChanges.find((x) => x.address === "Fleet/eng")!;
    expect(c).toMatchObject({ actions: ["update"], disruption: "fleet-restart", activeSessions: 3 });
    expect(json.steps.filter((s) => s.address === "Fleet/eng").map((s) => s.op)).toEqual(["fleet.stop", "wait", "fleet.update", "fleet.start", "wait", "tags.update"]);
    const md = await cli(t.emu.url, ["-f", file, "-o", "markdown", "plan"]);
    expect(md.stdout).toContain("[!WARNING]");
    expect(md.stdout).toContain("```diff");
  });
});
