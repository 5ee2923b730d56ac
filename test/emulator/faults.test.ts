import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateStackCommand,
  DescribeFleetsCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  ListTagsForResourceCommand,
  StartFleetCommand,
  TagResourceCommand,
  UpdateFleetCommand,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { FaultEngine, parseFaults, prng } from "../../src/emulator/faults.js";
import { calls, control, errorOf, fleetInput, type TestEmulator, useEmulator } from "./helpers.js";


/** Outcome of each of `n` DescribeStacks calls: "ok" or the error name. */
async function outcomes(emu: TestEmulator, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    try {
      await emu.client.send(new DescribeStacksCommand({}));
      out.push("ok");
    } catch (err) {
      out.push((err as Error).name);
    }
  }
  return out;
}

describe("grammar", () => {
  test("FAULT-01 the example spec parses into global and per-operation rules", () => {
    const spec = parseFaults("seed=7,throttle=0.2,5xx=0.05,cme=0.05,latency=30ms,rate=10,consistency=2s,CreateFleet:throttle=every3,CreateFleet:latency=1s");
    expect(spec).toEqual({
      seed: 7,
      global: { kinds: { throttle: { probability: 0.2 }, "5xx": { probability: 0.05 }, cme: { probability: 0.05 } }, latencyMs: 30, rate: 10, consistencyMs: 2000 },
      perOp: { CreateFleet: { kinds: { throttle: { every: 3 } }, latencyMs: 1000 } },
    });
    expect(parseFaults("")).toEqual({ seed: 1, global: { kinds: {} }, perOp: {} });
  });

  test.each(["throttle=2", "throttle=every0", "bogus=1", "latency=fast", "rate=0", "CreateFleet:seed=3", "noequals", "lower:throttle=0.1"])(
    "FAULT-01 malformed entry %s is an error naming it",
    (spec) => {
      expect(() => parseFaults(spec)).toThrow(spec.split(",")[0]!);
    },
  );

  test("FAULT-01 tagIndexLag is a duration and denied a kind, global or per operation (TAGAPI-06, FAULT-11)", () => {
    const spec = parseFaults("tagIndexLag=5s,GetResources:denied=every2");
    expect(spec.global).toEqual({ kinds: {}, tagIndexLagMs: 5000 });
    expect(spec.perOp).toEqual({ GetResources: { kinds: { denied: { every: 2 } } } });
    const engine = new FaultEngine(spec);
    expect([engine.decide("GetResources").error?.type, engine.decide("GetResources").error?.type]).toEqual([undefined, "AccessDeniedException"]);
    expect(engine.decide("GetResources").tagIndexLagMs).toBe(5000);
    expect(() => parseFaults("tagIndexLag=soon")).toThrow("tagIndexLag=soon");
  });

  test("FAULT-01 a per-operation value overrides the global one for that operation only", () => {
    const engine = new FaultEngine(parseFaults("throttle=every1,DescribeFleets:throttle=0"));
    expect(engine.decide("CreateStack").error?.type).toBe("ThrottlingException");
    expect(engine.decide("DescribeFleets").error).toBeUndefined();
  });
});

describe("injection over HTTP", () => {
  // Each test restarts it with the faults it injects.
  const emulator = useEmulator();

  test("FAULT-02 seeded throttling: ThrottlingException 'Rate exceeded', replayed identically with the same seed", async () => {
    let t = await emulator.restart({ faults: "seed=42,throttle=0.5" });
    const first = await outcomes(t, 16);
    expect(first).toContain("ThrottlingException");
    expect(first).toContain("ok");
    const err = await errorOf(async () => {
      for (let i = 0; i < 50; i++) await t.client.send(new DescribeStacksCommand({}));
    });
    expect(err.message).toBe("Rate exceeded");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    t = await emulator.restart({ faults: "seed=42,throttle=0.5" });
    expect(await outcomes(t, 16)).toEqual(first);
    // The PRNG itself is deterministic per seed.
    const a = prng(9);
    const b = prng(9);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  test("FAULT-03 every Nth call of an operation fails, counted per operation", async () => {
    const t = await emulator.restart({ faults: "DescribeStacks:throttle=every3" });
    expect(await outcomes(t, 7)).toEqual(["ok", "ok", "ThrottlingException", "ok", "ok", "ThrottlingException", "ok"]);
    // Other operations are unaffected.
    const out = await t.client.send(new DescribeFleetsCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  test.each([
    ["rle", "RequestLimitExceededException"],
    ["cme", "ConcurrentModificationException"],
    ["ias", "InvalidAccountStatusException"],
  ])("FAULT-04 %s → %s (400)", async (kind, name) => {
    const t = await emulator.restart({ faults: `${kind}=every1` });
    const err = await errorOf(() => t.client.send(new CreateStackCommand({ Name: "x" })));
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  test("FAULT-IPC-01 UpdateFleet:ipc=every1 rejects every UpdateFleet with InvalidParameterCombinationException (400), unchanged; other calls succeed", async () => {
    const t = await emulator.restart({ faults: "UpdateFleet:ipc=every1" });
    await t.client.send(new CreateFleetCommand(fleetInput("ipc")));
    for (let i = 0; i < 2; i++) {
      const err = await errorOf(() => t.client.send(new UpdateFleetCommand({ Name: "ipc", InstanceType: "stream.standard.large" })));
      expect(err.name).toBe("InvalidParameterCombinationException");
      expect(err.$metadata?.httpStatusCode).toBe(400);
    }
    await t.client.send(new StartFleetCommand({ Name: "ipc" }));
    const fleet = (await t.client.send(new DescribeFleetsCommand({ Names: ["ipc"] }))).Fleets![0]!;
    expect([fleet.InstanceType, fleet.State]).toEqual(["stream.standard.medium", "RUNNING"]);
  });

  test("FAULT-05 500 → InternalFailure, 503 → ServiceUnavailable, 5xx → either", async () => {
    const t = await emulator.restart({ faults: "DescribeStacks:500=every1,DescribeFleets:503=every1,CreateStack:5xx=every1" });
    const e500 = await errorOf(() => t.client.send(new DescribeStacksCommand({})));
    expect(e500.name).toBe("InternalFailure");
    expect(e500.$metadata?.httpStatusCode).toBe(500);
    const e503 = await errorOf(() => t.client.send(new DescribeFleetsCommand({})));
    expect(e503.name).toBe("ServiceUnavailable");
    expect(e503.$metadata?.httpStatusCode).toBe(503);
    const statuses = new Set<number | undefined>();
    for (let i = 0; i < 12; i++) statuses.add((await errorOf(() => t.client.send(new CreateStackCommand({ Name: `n${i}` })))).$metadata?.httpStatusCode);
    expect(statuses).toEqual(new Set([500, 503]));
  });

  test("FAULT-06 latency is part of the decision and the delayed call still succeeds", async () => {
    const engine = new FaultEngine(parseFaults("latency=30ms,CreateFleet:latency=2s"));
    expect(engine.decide("DescribeFleets").latencyMs).toBe(30);
    expect(engine.decide("CreateFleet").latencyMs).toBe(2000);
    const t = await emulator.restart({ faults: "latency=20ms" });
    expect(await outcomes(t, 2)).toEqual(["ok", "ok"]);
  });

  test("FAULT-07 token bucket: burst max(1,R), then ThrottlingException; refills at R per second", async () => {
    let now = 0;
    const engine = new FaultEngine(parseFaults("rate=2,DescribeFleets:rate=1"), () => now);
    expect([1, 2, 3].map(() => engine.decide("CreateStack").error?.type ?? "ok")).toEqual(["ok", "ok", "ThrottlingException"]);
    now += 500;
    expect(engine.decide("CreateStack").error).toBeUndefined();
    expect(engine.decide("DescribeFleets").error).toBeUndefined();
    expect(engine.decide("DescribeFleets").error?.type).toBe("ThrottlingException");
    const t = await emulator.restart({ faults: "rate=0.001" });
    expect(await outcomes(t, 3)).toEqual(["ok", "ThrottlingException", "ThrottlingException"]);
  });

  test("FAULT-08 eventual consistency: a new resource is invisible to Describe until the delay passes; mutations see it", async () => {
    const t = await emulator.restart({ faults: "consistency=2s" });
    await t.client.send(new CreateFleetCommand(fleetInput("ec") as never));
    expect((await errorOf(() => t.client.send(new DescribeFleetsCommand({ Names: ["ec"] })))).name).toBe("ResourceNotFoundException");
    expect((await t.client.send(new DescribeFleetsCommand({}))).Fleets).toEqual([]);
    await t.client.send(new StartFleetCommand({ Name: "ec" }));
    await control(t.emu.url, "POST", "clock", { advanceSeconds: 2 });
    expect((await t.client.send(new DescribeFleetsCommand({ Names: ["ec"] }))).Fleets![0]!.State).toBe("RUNNING");
  });

  test("FAULT-09 POST /_emulator/faults replaces the spec at run time; an empty spec clears it", async () => {
    const t = emulator();
    expect(await outcomes(t, 1)).toEqual(["ok"]);
    const set = await control(t.emu.url, "POST", "faults", { spec: "throttle=every1" });
    expect(set.status).toBe(200);
    expect(await outcomes(t, 1)).toEqual(["ThrottlingException"]);
    await control(t.emu.url, "POST", "faults", { spec: "" });
    expect(await outcomes(t, 1)).toEqual(["ok"]);
    const bad = await control(t.emu.url, "POST", "faults", { spec: "throttle=7" });
    expect(bad.status).toBe(400);
  });

  test("FAULT-10 a faulted call changes nothing and is logged with its error", async () => {
    const t = await emulator.restart({ faults: "CreateStack:cme=every1" });
    await errorOf(() => t.client.send(new CreateStackCommand({ Name: "never" })));
    expect((await t.client.send(new DescribeStacksCommand({}))).Stacks).toEqual([]);
    const log = await calls(t.emu.url);
    expect(log[0]).toMatchObject({ operation: "CreateStack", resource: "never", outcome: "ConcurrentModificationException", status: 400, mutating: true });
  });
});

describe("eventual consistency beyond Describe", () => {
  const emulator = useEmulator({ faults: "consistency=2s" });

  test("FAULT-08 Tag/Untag and CreateFleet see hidden resources; ListTags and ListAssociated* do not, until the delay passes", async () => {
    const t = emulator();
    const fleet = await t.client.send(new CreateFleetCommand(fleetInput("hidden") as never));
    await t.client.send(new TagResourceCommand({ ResourceArn: fleet.Fleet!.Arn, Tags: { a: "1" } }));
    expect((await errorOf(() => t.client.send(new ListTagsForResourceCommand({ ResourceArn: fleet.Fleet!.Arn })))).name).toBe("ResourceNotFoundException");
    await t.client.send(new CreateStackCommand({ Name: "hs" }));
    await t.client.send(new AssociateFleetCommand({ StackName: "hs", FleetName: "hidden" }));
    expect((await t.client.send(new ListAssociatedStacksCommand({ FleetName: "hidden" }))).Names).toEqual([]);
    expect((await t.client.send(new ListAssociatedFleetsCommand({ StackName: "hs" }))).Names).toEqual([]);
    await control(t.emu.url, "POST", "clock", { advanceSeconds: 2 });
    expect((await t.client.send(new ListTagsForResourceCommand({ ResourceArn: fleet.Fleet!.Arn }))).Tags).toEqual({ a: "1" });
    expect((await t.client.send(new ListAssociatedStacksCommand({ FleetName: "hidden" }))).Names).toEqual(["hs"]);
    expect((await t.client.send(new ListAssociatedFleetsCommand({ StackName: "hs" }))).Names).toEqual(["hidden"]);
  });
});
