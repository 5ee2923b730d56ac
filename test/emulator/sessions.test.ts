import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeSessionsCommand,
  DisassociateFleetCommand,
  ExpireSessionCommand,
  StartFleetCommand,
  StopFleetCommand,
  UpdateFleetCommand,
} from "@aws-sdk/client-appstream";
import { expect, test } from "vitest";
import { control, errorOf, fleetInput, useEmulator } from "./helpers.js";

const emulator = useEmulator({ pageSize: 2 }, {
  setUp: async (t) => {
    await t.client.send(new CreateFleetCommand(fleetInput("f", { ComputeCapacity: { DesiredInstances: 4 }, MaxUserDurationInSeconds: 3600 }) as never));
    await t.client.send(new CreateStackCommand({ Name: "s" }));
    await t.client.send(new AssociateFleetCommand({ StackName: "s", FleetName: "f" }));
    await t.client.send(new StartFleetCommand({ Name: "f" }));
  },
});

const sessions = (body: Record<string, unknown>) => control(emulator().emu.url, "POST", "sessions", { stackName: "s", fleetName: "f", ...body });
const all = async (input: Record<string, unknown> = {}) => {
  const out = [];
  let NextToken: string | undefined;
  do {
    const page = await emulator().client.send(new DescribeSessionsCommand({ StackName: "s", FleetName: "f", NextToken, ...input } as never));
    out.push(...(page.Sessions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
};

test("SESS-01 control-created sessions are ACTIVE and described with every field", async () => {
  const before = Date.now();
  const r = await sessions({ count: 2, userIds: ["alice", "bob"] });
  expect(r.status).toBe(200);
  expect(r.body.sessions).toHaveLength(2);
  const list = await all();
  expect(list.map((s) => s.UserId).sort()).toEqual(["alice", "bob"]);
  const s = list.find((x) => x.UserId === "alice")!;
  expect(s).toMatchObject({ StackName: "s", FleetName: "f", State: "ACTIVE", ConnectionState: "CONNECTED", AuthenticationType: "API" });
  expect(r.body.sessions).toContain(s.Id);
  expect(s.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
  expect(s.StartTime!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  expect(s.MaxExpirationTime!.getTime() - s.StartTime!.getTime()).toBe(3600 * 1000);
});

test("SESS-02 the control call refuses unknown, unassociated, stopped or full fleets", async () => {
  expect((await sessions({ stackName: "ghost", count: 1 })).status).toBe(404);
  expect((await sessions({ fleetName: "ghost", count: 1 })).status).toBe(404);
  await emulator().client.send(new CreateStackCommand({ Name: "other" }));
  const unassoc = await sessions({ stackName: "other", count: 1 });
  expect(unassoc.status).toBe(400);
  expect(unassoc.body.__type).toBe("OperationNotPermittedException");
  const full = await sessions({ count: 5 });
  expect(full.status).toBe(400);
  expect(full.body.__type).toBe("LimitExceededException");
  expect((await sessions({ count: 4 })).status).toBe(200);
  await emulator().client.send(new StopFleetCommand({ Name: "f" }));
  const stopped = await sessions({ count: 1 });
  expect(stopped.body.__type).toBe("ResourceNotAvailableException");
  expect((await sessions({ count: 0 })).status).toBe(400);
});

test("SESS-03 filters on UserId/AuthenticationType/InstanceId; UserId alone → InvalidParameterCombinationException", async () => {
  await sessions({ count: 1, userIds: ["alice"], authenticationType: "USERPOOL" });
  await sessions({ count: 1, userIds: ["alice"] });
  await sessions({ count: 1, userIds: ["bob"] });
  expect(await all()).toHaveLength(3);
  expect((await all({ AuthenticationType: "USERPOOL" })).map((s) => s.UserId)).toEqual(["alice"]);
  expect((await all({ UserId: "alice", AuthenticationType: "API" })).map((s) => s.AuthenticationType)).toEqual(["API"]);
  const one = (await all())[0]!;
  expect((await all({ InstanceId: one.InstanceId })).map((s) => s.Id)).toEqual([one.Id]);
  const err = await errorOf(() => emulator().client.send(new DescribeSessionsCommand({ StackName: "s", FleetName: "f", UserId: "alice" })));
  expect(err.name).toBe("InvalidParameterCombinationException");
});

test("SESS-04 DescribeSessions pages by Limit, else by the server page size", async () => {
  await sessions({ count: 3 });
  const byServer = await emulator().client.send(new DescribeSessionsCommand({ StackName: "s", FleetName: "f" }));
  expect(byServer.Sessions).toHaveLength(2);
  expect(byServer.NextToken).toBeDefined();
  const byLimit = await emulator().client.send(new DescribeSessionsCommand({ StackName: "s", FleetName: "f", Limit: 3 }));
  expect(byLimit.Sessions).toHaveLength(3);
  expect(byLimit.NextToken).toBeUndefined();
  expect(await all()).toHaveLength(3);
});

test("SESS-05 ExpireSession ends a session; an unknown id succeeds", async () => {
  const r = await sessions({ count: 2 });
  await emulator().client.send(new ExpireSessionCommand({ SessionId: r.body.sessions[0] }));
  expect((await all()).map((s) => s.Id)).toEqual([r.body.sessions[1]]);
  const out = await emulator().client.send(new ExpireSessionCommand({ SessionId: "00000000-0000-0000-0000-000000000000" }));
  expect(out.$metadata.httpStatusCode).toBe(200);
});

test("SESS-06 StopFleet and DeleteStack end sessions; sessions past MaxExpirationTime are gone", async () => {
  await sessions({ count: 2 });
  await emulator().client.send(new StopFleetCommand({ Name: "f" }));
  await emulator().client.send(new StartFleetCommand({ Name: "f" }));
  expect(await all()).toEqual([]);
  await sessions({ count: 1 });
  await emulator().client.send(new DisassociateFleetCommand({ StackName: "s", FleetName: "f" }));
  await emulator().client.send(new DeleteStackCommand({ Name: "s" }));
  expect(Object.keys(emulator().emu.store.table("us-east-1", "sessions"))).toEqual([]);
  await emulator().client.send(new CreateStackCommand({ Name: "s" }));
  await emulator().client.send(new AssociateFleetCommand({ StackName: "s", FleetName: "f" }));
  await emulator().client.send(new UpdateFleetCommand({ Name: "f", DisplayName: "x" }));
  await sessions({ count: 1 });
  expect(await all()).toHaveLength(1);
  await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 3601 });
  expect(await all()).toEqual([]);
});

test("SESS-07 DescribeSessions for an unknown stack or fleet returns an empty list", async () => {
  await sessions({ count: 1 });
  const a = await emulator().client.send(new DescribeSessionsCommand({ StackName: "ghost", FleetName: "f" }));
  expect(a.Sessions).toEqual([]);
  const b = await emulator().client.send(new DescribeSessionsCommand({ StackName: "s", FleetName: "ghost" }));
  expect(b.Sessions).toEqual([]);
});
