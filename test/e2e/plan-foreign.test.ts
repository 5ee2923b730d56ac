/**
 * A stack outside the manifest streaming from one of our fleets: replacing the fleet must not fail on the
 * association (DeleteFleet refuses while one exists, reference §3.5) nor take the foreign stack's fleet
 * away; pruning the fleet would take it away, so the plan refuses, naming the stack.
 */
import { AssociateFleetCommand, CreateStackCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const fleet = (type: string) => `apiVersion: appstreamctl/v1
metadata: { name: foreign }
fleets:
  - { name: f, fleetType: ${type}, instanceType: stream.standard.small, imageName: AppStream-WinServer2019-11-12-2025, computeCapacity: { desiredInstances: 1 } }
`;

beforeAll(fakeAwsCredentials);

describe("a fleet with a stack outside the manifest", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      expect((await cli(t.emu.url, ["-f", writeManifest(fleet("ON_DEMAND")), "apply", "--auto-approve"])).code).toBe(0);
      await t.client.send(new CreateStackCommand({ Name: "theirs" }));
      await t.client.send(new AssociateFleetCommand({ StackName: "theirs", FleetName: "f" }));
    },
  });

  /** stack → fleet, from the emulator's store (`stackFleets`, src/emulator/associations.ts). */
  const stackFleets = async () => {
    const table = ((await control(emulator().emu.url, "GET", "state")).body.regions["us-east-1"].stackFleets ?? {}) as Record<string, { FleetName: string }>;
    return Object.fromEntries(Object.entries(table).map(([stack, r]) => [stack, r.FleetName]));
  };

  it("replace: the association is read around the fleet, removed first and made again; no ResourceInUse", async () => {
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", writeManifest(fleet("ALWAYS_ON")), "apply", "--auto-approve", "--allow-disruption"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const log = await calls(emulator().emu.url);
    expect(log.filter((c) => c.operation === "ListAssociatedStacks").map((c) => c.resource)).toEqual(["f"]);
    expect(log.filter((c) => c.mutating).map((c) => c.operation)).toEqual([
      "DisassociateFleet", "StopFleet", "DeleteFleet", "CreateFleet", "StartFleet", "AssociateFleet",
    ]);
    expect(log.filter((c) => c.outcome === "ResourceInUseException")).toEqual([]);
    expect(await stackFleets()).toEqual({ theirs: "f" });
  });

  it("prune: refused, naming the stack; the fleet and the foreign stack's association stay, nothing is mutated", async () => {
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: foreign }\n"), "apply", "--auto-approve", "--allow-disruption", "--prune"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'error [plan.foreign-association] Fleet/f is to be deleted, but FleetAssociation/theirs/f ties it to Stack/theirs, which this manifest\'s set "foreign" does not own',
    );
    const log = await calls(emulator().emu.url);
    expect(log.filter((c) => c.mutating)).toEqual([]);
    expect((await control(emulator().emu.url, "GET", "state")).body.regions["us-east-1"].stacks.theirs).toBeDefined();
    expect(await stackFleets()).toEqual({ theirs: "f" });
  });
});
