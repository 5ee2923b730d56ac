import { CreateFleetCommand, CreateImportedImageCommand, CreateStackCommand, DescribeFleetsCommand, DescribeStacksCommand, StartFleetCommand } from "@aws-sdk/client-appstream";
import { expect, test } from "vitest";
import { begin, effective, isSettled, rest, settle } from "../../src/emulator/transitions.js";
import { DEFAULT_QUOTAS } from "../../src/emulator/store.js";
import { calls, control, errorOf, fleetInput, rawCall, useEmulator } from "./helpers.js";

const emulator = useEmulator({ timeScale: 1 });

test("CTRL-01 GET calls lists every API call with seq, time, region, operation, resource, outcome, status, mutating", async () => {
  await emulator().client.send(new CreateStackCommand({ Name: "s" }));
  await emulator().client.send(new DescribeStacksCommand({ Names: ["s"] }));
  await errorOf(() => emulator().client.send(new DescribeFleetsCommand({ Names: ["ghost"] })));
  await rawCall(emulator().emu.url, "PhotonAdminProxyService.Nope", "{}");
  const log = await calls(emulator().emu.url);
  expect(log.map(({ time: _time, ...rest }) => rest)).toEqual([
    { seq: 1, region: "us-east-1", operation: "CreateStack", resource: "s", outcome: "ok", status: 200, mutating: true },
    { seq: 2, region: "us-east-1", operation: "DescribeStacks", outcome: "ok", status: 200, mutating: false },
    { seq: 3, region: "us-east-1", operation: "DescribeFleets", outcome: "ResourceNotFoundException", status: 404, mutating: false },
    { seq: 4, region: "us-east-1", operation: "Nope", outcome: "UnknownOperationException", status: 400, mutating: true },
  ]);
  expect(Number.isNaN(Date.parse(log[0]!.time))).toBe(false);
});

test("CTRL-01 a dry run is logged as not mutating", async () => {
  await errorOf(() => emulator().client.send(new CreateImportedImageCommand({
    Name: "imp", SourceAmiId: "ami-0123456789abcdef0", IamRoleArn: "arn:aws:iam::123456789012:role/import", DryRun: true,
  })));
  await emulator().client.send(new CreateImportedImageCommand({ Name: "imp", SourceAmiId: "ami-0123456789abcdef0", IamRoleArn: "arn:aws:iam::123456789012:role/import" }));
  expect((await calls(emulator().emu.url)).map((c) => [c.outcome, c.mutating])).toEqual([["DryRunOperationException", false], ["ok", true]]);
});

test("CTRL-02 DELETE calls empties the log", async () => {
  await emulator().client.send(new DescribeStacksCommand({}));
  expect((await control(emulator().emu.url, "DELETE", "calls")).status).toBe(200);
  expect(await calls(emulator().emu.url)).toEqual([]);
  await emulator().client.send(new DescribeStacksCommand({}));
  expect((await calls(emulator().emu.url)).map((c) => c.seq)).toEqual([2]);
});

test("CTRL-03 GET state returns the store document", async () => {
  await emulator().client.send(new CreateStackCommand({ Name: "s" }));
  const { status, body } = await control(emulator().emu.url, "GET", "state");
  expect(status).toBe(200);
  expect(body.version).toBe(1);
  expect(body.clockOffsetMs).toBe(0);
  expect(typeof body.now).toBe("number");
  expect(body.regions["us-east-1"].stacks.s.attrs.Arn).toBe("arn:aws:appstream:us-east-1:123456789012:stack/s");
  expect(Object.keys(body.regions["us-east-1"].images)).toContain("AppStream-WinServer2019-11-12-2025");
});

test("CTRL-04 POST reset empties store, clock offset and call log", async () => {
  await emulator().client.send(new CreateStackCommand({ Name: "s" }));
  await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 60 });
  expect((await control(emulator().emu.url, "POST", "reset")).status).toBe(200);
  const { body } = await control(emulator().emu.url, "GET", "state");
  expect(body.regions).toEqual({});
  expect(body.clockOffsetMs).toBe(0);
  expect(await calls(emulator().emu.url)).toEqual([]);
  expect((await emulator().client.send(new DescribeStacksCommand({}))).Stacks).toEqual([]);
});

test("CTRL-05 unknown control route → 404; bad body → 400", async () => {
  expect((await control(emulator().emu.url, "GET", "nothing-here")).status).toBe(404);
  expect((await control(emulator().emu.url, "POST", "clock", { advanceSeconds: -1 })).status).toBe(400);
  const res = await fetch(`${emulator().emu.url}/_emulator/clock`, { method: "POST", body: "{oops" });
  expect(res.status).toBe(400);
});

test("TIME-01 transitions are computed from stored timestamps; timeScale multiplies, 0 is immediate", () => {
  const lc = begin(1000, "STARTING", [{ state: "RUNNING", durationMs: 5000 }], 0.5);
  expect(lc).toEqual({ state: "STARTING", since: 1000, steps: [{ state: "RUNNING", at: 3500 }] });
  expect(effective(lc, 3499)).toEqual({ state: "STARTING", since: 1000 });
  expect(effective(lc, 3500)).toEqual({ state: "RUNNING", since: 3500 });
  expect(isSettled(lc, 3000)).toBe(false);
  expect(settle(lc, 4000)).toEqual({ state: "RUNNING", since: 3500, steps: [] });
  const chain = begin(0, "PENDING", [{ state: "SNAPSHOTTING", durationMs: 10 }, { state: "STOPPED", durationMs: 10 }], 1);
  expect(effective(chain, 15).state).toBe("SNAPSHOTTING");
  expect(effective(chain, 20).state).toBe("STOPPED");
  expect(effective(begin(0, "STARTING", [{ state: "RUNNING", durationMs: 5000 }], 0), 0).state).toBe("RUNNING");
  expect(rest(7, "STOPPED")).toEqual({ state: "STOPPED", since: 7, steps: [] });
});

test("TIME-02 POST clock advances the emulator clock and completes transitions", async () => {
  await emulator().client.send(new CreateFleetCommand(fleetInput("f") as never));
  await emulator().client.send(new StartFleetCommand({ Name: "f" }));
  const before = (await emulator().client.send(new DescribeFleetsCommand({ Names: ["f"] }))).Fleets![0]!.State;
  expect(before).toBe("STARTING");
  const { body } = await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 4 });
  expect(body.now).toBeGreaterThan(Date.now() + 3000);
  expect((await emulator().client.send(new DescribeFleetsCommand({ Names: ["f"] }))).Fleets![0]!.State).toBe("STARTING");
  await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 1 });
  expect((await emulator().client.send(new DescribeFleetsCommand({ Names: ["f"] }))).Fleets![0]!.State).toBe("RUNNING");
});

test("QUOTA-01 default quotas follow reference §16 and are configurable", async () => {
  expect(DEFAULT_QUOTAS).toEqual({
    fleets: 10,
    stacks: 10,
    imageBuilders: 10,
    images: 10,
    users: 50,
    imageShareAccounts: 100,
    concurrentImageCopies: 2,
    concurrentImageUpdates: 5,
    appBlockBuilders: 10,
    tagsPerResource: 50,
    instances: {},
  });
  await emulator.restart({ quotas: { fleets: 1 } });
  await emulator().client.send(new CreateFleetCommand(fleetInput("one") as never));
  const err = await errorOf(() => emulator().client.send(new CreateFleetCommand(fleetInput("two") as never)));
  expect(err.name).toBe("LimitExceededException");
  expect(emulator().emu.store.config.quotas.stacks).toBe(10);
});
