/**
 * apply end to end against the emulator, through the CLI and the real SDK: every example converges
 * (plan → apply → plan = no-op, emulator state = manifest), one field per update mode gives exactly the
 * expected mutating calls, and `--prune` destroys in an order that never meets ResourceInUse.
 */
import { CreateFleetCommand, CreateStackCommand } from "@aws-sdk/client-appstream";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { toApiShape } from "../../src/kinds/convert.js";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf, table } from "./apply-helpers.js";
import { fakeAwsCredentials, PASSWORD, writeManifest } from "./helpers.js";

const EXAMPLES = join(import.meta.dirname, "../../examples");
const IMAGE = "AppStream-WinServer2022-11-12-2025";

beforeAll(fakeAwsCredentials);

type Entry = Record<string, unknown> & { name: string };

const upper = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
/** The API value the emulator should hold for a manifest field. */
const apiValue = (field: string, value: unknown) => toApiShape({ [field]: value })[upper(field)];

/**
 * Fields compared by other means (state, ownership, tags), not sent as such, or resources of their own
 * (a stack's entitlements and theme: test/e2e/entitlement.test.ts, theme.test.ts).
 */
// A fleet's `scaling` and `schedule` are resources of their own (example-capacity / example-schedules tests).
const FLEET_SKIP = new Set(["name", "state", "tags", "imageSelector", "protect", "scaling", "schedule"]);
const STACK_SKIP = new Set(["name", "fleet", "tags", "protect", "userSettings", "entitlements", "theme"]);

describe("apply converges every example", () => {
  const emulator = useEmulator({}, { scope: "all" });

  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml"))) {
    it(`${file}: plan → apply → plan is a no-op, and the emulator holds every fleet and stack field`, async () => {
      const path = join(EXAMPLES, file);
      const r = await apply(emulator().emu.url, path);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Apply complete:");
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
      expect(changesOf(await planOf(emulator().emu.url, path))).toEqual({});

      const m = parse(readFileSync(path, "utf8")) as { metadata: { region?: string }; fleets?: Entry[]; stacks?: Entry[] };
      const region = m.metadata.region ?? "us-east-1";
      const fleets = await table(emulator().emu.url, region, "fleets");
      for (const f of m.fleets ?? []) {
        const live = fleets[f.name];
        expect(live, f.name).toBeDefined();
        // A schedule's run state depends on the clock: test/e2e/example-schedules.test.ts moves it.
        if (f.schedule === undefined) expect(live?.state).toBe(f.state === "stopped" ? "STOPPED" : "RUNNING");
        for (const [field, value] of Object.entries(f)) {
          if (!FLEET_SKIP.has(field)) expect(live?.attrs[upper(field)], `${f.name}.${field}`).toEqual(apiValue(field, value));
        }
      }
      const stacks = await table(emulator().emu.url, region, "stacks");
      for (const s of m.stacks ?? []) {
        const live = stacks[s.name];
        expect(live, s.name).toBeDefined();
        for (const [field, value] of Object.entries(s)) {
          if (!STACK_SKIP.has(field)) expect(live?.attrs[upper(field)], `${s.name}.${field}`).toEqual(apiValue(field, value));
        }
        const settings = (live?.attrs.UserSettings ?? {}) as Record<string, { Permission: string; MaximumLength?: number }>;
        for (const [action, v] of Object.entries((s.userSettings ?? {}) as Record<string, string | { permission: string; maximumLength?: number }>)) {
          const want = typeof v === "string" ? { Permission: v } : { Permission: v.permission, ...(v.maximumLength ? { MaximumLength: v.maximumLength } : {}) };
          expect(settings[action], `${s.name}.userSettings.${action}`).toEqual(want);
        }
      }
    });
  }
});

const fleetManifest = (fields: string, instanceType = "stream.standard.medium") => `apiVersion: appstreamctl/v1
metadata: { name: modes }
fleets:
  - name: f
    instanceType: ${instanceType}
    imageName: ${IMAGE}
    computeCapacity: { desiredInstances: 1 }
${fields}
stacks:
  - name: s
    fleet: f
`;

const SUBNETS = "    vpcConfig: { subnetIds: [subnet-0000000a], securityGroupIds: [sg-00000001] }";
const SUBNETS2 = "    vpcConfig: { subnetIds: [subnet-0000000b], securityGroupIds: [sg-00000001] }";

describe("one field per update mode on a converged estate: exactly the expected calls", () => {
  const emulator = useEmulator({}, { scope: "all" });

  async function converge(fields: string): Promise<void> {
    const file = writeManifest(fleetManifest(fields));
    const r = await apply(emulator().emu.url, file);
    expect(r.code, r.stderr).toBe(0);
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
  }

  async function change(fields: string, instanceType?: string): Promise<string[]> {
    await control(emulator().emu.url, "DELETE", "calls");
    const file = writeManifest(fleetManifest(fields, instanceType));
    const r = await apply(emulator().emu.url, file);
    expect(r.code, r.stderr).toBe(0);
    const log = await mutations(emulator().emu.url);
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
    return log;
  }

  it("live: displayName on a running fleet → UpdateFleet only, no StopFleet", async () => {
    await converge(`    displayName: Before\n${SUBNETS}`);
    expect(await change(`    displayName: After\n${SUBNETS}`)).toEqual(["UpdateFleet f"]);
  });

  it("requires-stop: instanceType + vpcConfig together → one StopFleet, one UpdateFleet, one StartFleet", async () => {
    await converge(SUBNETS);
    expect(await change(SUBNETS2, "stream.standard.large")).toEqual([
      "StopFleet f", "UpdateFleet f", "StartFleet f",
    ]);
  });

  it("requires-stop on a stopped fleet → UpdateFleet only", async () => {
    await converge(`    state: stopped\n${SUBNETS}`);
    expect(await change(`    state: stopped\n${SUBNETS2}`, "stream.standard.large")).toEqual(["UpdateFleet f"]);
    const fleets = await table(emulator().emu.url, "us-east-1", "fleets");
    expect(fleets.f?.state).toBe("STOPPED");
  });
});

describe("destroy: --prune removes everything the manifest owned, in an order AppStream accepts", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("leaves only what the manifest does not own, with no ResourceInUseException", async () => {
    await emulator().client.send(new CreateFleetCommand({ Name: "unowned", InstanceType: "stream.standard.small", ImageName: IMAGE, ComputeCapacity: { DesiredInstances: 1 } }));
    await emulator().client.send(new CreateStackCommand({ Name: "unowned" }));
    // The example protects a fleet from deletion; this estate is the example without that protection.
    const full = writeManifest(readFileSync(join(EXAMPLES, "appstream.yaml"), "utf8").replace("    protect: true\n", ""));
    expect((await apply(emulator().emu.url, full)).code).toBe(0);
    const empty = writeManifest("apiVersion: appstreamctl/v1\nmetadata:\n  name: euc-prod\n  region: us-east-1\n");
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await apply(emulator().emu.url, empty, ["--prune"]);
    expect(r.code, r.stderr).toBe(0);
    const log = await calls(emulator().emu.url);
    expect(log.filter((c) => c.outcome === "ResourceInUseException")).toEqual([]);
    expect(log.filter((c) => c.mutating && c.outcome !== "ok")).toEqual([]);
    const names = async (tbl: string) => Object.keys(await table(emulator().emu.url, "us-east-1", tbl)).sort();
    expect(await names("fleets")).toEqual(["unowned"]);
    expect(await names("stacks")).toEqual(["unowned"]);
    expect(await names("imageBuilders")).toEqual([]);
    expect((await names("images")).filter((n) => !n.startsWith("AppStream-"))).toEqual([]);
    expect(await names("imagePermissions")).toEqual([]);
    expect(await names("userStackAssociations")).toEqual([]);
    expect(changesOf(await planOf(emulator().emu.url, empty, ["--prune"]))).toEqual({});
  });
});
