import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateStackCommand,
  CreateStreamingURLCommand,
  DescribeFleetsCommand,
  DescribeSessionsCommand,
  DrainSessionInstanceCommand,
  ExpireSessionCommand,
  StartFleetCommand,
  StopFleetCommand,
  type Session,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { control, elasticInput, errorOf, fleetInput, useEmulator, type TestEmulator } from "./helpers.js";

/** Stack `s` with fleet `f` (multi-session, 2 per instance, 6 sessions), both associated and RUNNING; stack `one` with single-session fleet `g`. */
async function setUp(t: TestEmulator): Promise<void> {
  await t.client.send(new CreateFleetCommand(fleetInput("f", { MaxSessionsPerInstance: 2, ComputeCapacity: { DesiredSessions: 6 } }) as never));
  await t.client.send(new CreateFleetCommand(fleetInput("g", { StreamView: "DESKTOP" }) as never));
  for (const [stack, fleet] of [["s", "f"], ["one", "g"]] as const) {
    await t.client.send(new CreateStackCommand({ Name: stack }));
    await t.client.send(new AssociateFleetCommand({ StackName: stack, FleetName: fleet }));
    await t.client.send(new StartFleetCommand({ Name: fleet }));
  }
}

async function sessionsOf(t: TestEmulator, stack = "s", fleet = "f"): Promise<Session[]> {
  return (await t.client.send(new DescribeSessionsCommand({ StackName: stack, FleetName: fleet, Limit: 50 }))).Sessions ?? [];
}

describe("streaming URLs", () => {
  const emu = useEmulator({}, { setUp });

  test("URL-01 CreateStreamingURL returns an authenticate URL expiring after Validity (default 60 s) and starts no session", async () => {
    const t = emu();
    const before = Date.now();
    const a = await t.client.send(new CreateStreamingURLCommand({ StackName: "s", FleetName: "f", UserId: "alice" }));
    expect(a.StreamingURL).toMatch(/^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/authenticate\?parameters=[A-Za-z0-9_-]+$/);
    const ttl = a.Expires!.getTime() - before;
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThan(65_000);
    const b = await t.client.send(new CreateStreamingURLCommand({ StackName: "s", FleetName: "f", UserId: "alice", Validity: 604800, ApplicationId: "Excel" }));
    expect(b.Expires!.getTime() - before).toBeGreaterThan(604_790_000);
    expect(await sessionsOf(t)).toEqual([]);
    const err = await errorOf(() => t.client.send(new CreateStreamingURLCommand({ StackName: "s", FleetName: "f", UserId: "alice", Validity: 604801 })));
    expect(err.name).toBe("ValidationException");
  });

  test("URL-02 unknown stack/fleet, an unassociated or stopped fleet and Desktop on an APP fleet are refused", async () => {
    const t = emu();
    const url = (input: Record<string, unknown>) =>
      errorOf(() => t.client.send(new CreateStreamingURLCommand({ StackName: "s", FleetName: "f", UserId: "alice", ...input })));
    expect((await url({ StackName: "ghost" })).name).toBe("ResourceNotFoundException");
    expect((await url({ FleetName: "ghost" })).name).toBe("ResourceNotFoundException");
    expect((await url({ FleetName: "g" })).name).toBe("OperationNotPermittedException");
    expect((await url({ ApplicationId: "Desktop" })).name).toBe("InvalidParameterCombinationException");
    const desktop = await t.client.send(new CreateStreamingURLCommand({ StackName: "one", FleetName: "g", UserId: "bob", ApplicationId: "Desktop" }));
    expect(desktop.StreamingURL).toContain("/authenticate?parameters=");
    await t.client.send(new StopFleetCommand({ Name: "f" }));
    expect((await url({})).name).toBe("ResourceNotAvailableException");
  });
});

describe("draining session instances", () => {
  const emu = useEmulator({}, { setUp });

  test("DRAIN-01 DRAIN-02 sessions share instances; draining one marks every session on it DRAINING and new sessions go elsewhere", async () => {
    const t = emu();
    const created = await control(t.emu.url, "POST", "sessions", { stackName: "s", fleetName: "f", count: 3 });
    expect(created.status).toBe(200);
    const before = await sessionsOf(t);
    const byInstance = new Map<string, string[]>();
    for (const s of before) byInstance.set(s.InstanceId!, [...(byInstance.get(s.InstanceId!) ?? []), s.Id!]);
    expect([...byInstance.values()].map((ids) => ids.length).sort()).toEqual([1, 2]);
    expect(before.map((s) => s.InstanceDrainStatus)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE"]);
    const [full] = [...byInstance.entries()].find(([, ids]) => ids.length === 2)!;
    const [half] = [...byInstance.entries()].find(([, ids]) => ids.length === 1)!;
    expect(await t.client.send(new DrainSessionInstanceCommand({ SessionId: byInstance.get(full)![0]! }))).toMatchObject({});
    const drainedHalf = byInstance.get(half)![0]!;
    await t.client.send(new DrainSessionInstanceCommand({ SessionId: drainedHalf }));
    const after = await sessionsOf(t);
    expect(after.map((s) => [s.Id, s.InstanceDrainStatus]).sort()).toEqual(before.map((s) => [s.Id, "DRAINING"]).sort());
    // The half-empty instance is draining, so a new session lands on a new instance.
    await control(t.emu.url, "POST", "sessions", { stackName: "s", fleetName: "f", count: 1 });
    const fresh = (await sessionsOf(t)).filter((s) => !before.some((b) => b.Id === s.Id));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.InstanceDrainStatus).toBe("ACTIVE");
    expect(byInstance.has(fresh[0]!.InstanceId!)).toBe(false);
  });

  test("DRAIN-01 an unknown or ended session → ResourceNotFoundException; a single-session or Elastic fleet's session → OperationNotPermittedException", async () => {
    const t = emu();
    const unknown = await errorOf(() => t.client.send(new DrainSessionInstanceCommand({ SessionId: "00000000-0000-0000-0000-000000000000" })));
    expect(unknown.name).toBe("ResourceNotFoundException");
    const [ended] = (await control(t.emu.url, "POST", "sessions", { stackName: "s", fleetName: "f", count: 1 })).body.sessions;
    await t.client.send(new ExpireSessionCommand({ SessionId: ended }));
    expect((await errorOf(() => t.client.send(new DrainSessionInstanceCommand({ SessionId: ended })))).name).toBe("ResourceNotFoundException");
    const [single] = (await control(t.emu.url, "POST", "sessions", { stackName: "one", fleetName: "g", count: 1 })).body.sessions;
    expect((await errorOf(() => t.client.send(new DrainSessionInstanceCommand({ SessionId: single })))).name).toBe("OperationNotPermittedException");
    expect((await sessionsOf(t, "one", "g"))[0]!.InstanceDrainStatus).toBe("NOT_APPLICABLE");
    await t.client.send(new CreateFleetCommand(elasticInput("e") as never));
    await t.client.send(new CreateStackCommand({ Name: "es" }));
    await t.client.send(new AssociateFleetCommand({ StackName: "es", FleetName: "e" }));
    await t.client.send(new StartFleetCommand({ Name: "e" }));
    const [elastic] = (await control(t.emu.url, "POST", "sessions", { stackName: "es", fleetName: "e", count: 1 })).body.sessions;
    expect((await errorOf(() => t.client.send(new DrainSessionInstanceCommand({ SessionId: elastic })))).name).toBe("OperationNotPermittedException");
  });

  test("DRAIN-04 a multi-session fleet's ComputeCapacityStatus counts draining instances, their sessions and free slots", async () => {
    const t = emu();
    const status = async () => (await t.client.send(new DescribeFleetsCommand({ Names: ["f"] }))).Fleets![0]!.ComputeCapacityStatus!;
    const [a] = (await control(t.emu.url, "POST", "sessions", { stackName: "s", fleetName: "f", count: 3 })).body.sessions;
    const plain = await status();
    expect(plain).not.toHaveProperty("Draining");
    await t.client.send(new DrainSessionInstanceCommand({ SessionId: a }));
    const drainedInstance = (await sessionsOf(t)).find((s) => s.Id === a)!.InstanceId;
    const onIt = (await sessionsOf(t)).filter((s) => s.InstanceId === drainedInstance).length;
    expect(await status()).toEqual({ ...plain, Draining: 1, DrainModeActiveUserSessions: onIt, DrainModeUnusedUserSessions: 2 - onIt });
  });

  test("DRAIN-03 draining twice succeeds; once its sessions end the instance is reclaimed", async () => {
    const t = emu();
    const [a, b] = (await control(t.emu.url, "POST", "sessions", { stackName: "s", fleetName: "f", count: 2 })).body.sessions;
    await t.client.send(new DrainSessionInstanceCommand({ SessionId: a }));
    await t.client.send(new DrainSessionInstanceCommand({ SessionId: b }));
    const drained = t.emu.store.table("us-east-1", "drainedInstances");
    expect(Object.keys(drained)).toHaveLength(1);
    await t.client.send(new ExpireSessionCommand({ SessionId: a }));
    await t.client.send(new ExpireSessionCommand({ SessionId: b }));
    const [c] = (await control(t.emu.url, "POST", "sessions", { stackName: "s", fleetName: "f", count: 1 })).body.sessions;
    await t.client.send(new DrainSessionInstanceCommand({ SessionId: c }));
    const cInstance = (await sessionsOf(t)).find((s) => s.Id === c)!.InstanceId!;
    expect(Object.keys(drained)).toEqual([cInstance]);
  });
});
