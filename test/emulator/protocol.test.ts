import { CreateFleetCommand, CreateStackCommand, DescribeFleetsCommand, DescribeStacksCommand } from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import type { AddressInfo } from "node:net";
import { CallLog } from "../../src/emulator/control.js";
import { FaultEngine, noFaults, prng } from "../../src/emulator/faults.js";
import { OPS } from "../../src/emulator/ops.js";
import { startEmulator } from "../../src/emulator/index.js";
import { createEmulatorServer } from "../../src/emulator/server.js";
import { DEFAULT_DURATIONS, DEFAULT_QUOTAS, Store } from "../../src/emulator/store.js";
import { calls, clientOf, errorOf, fleetInput, rawCall, useEmulator } from "./helpers.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const T = "PhotonAdminProxyService.";

const emulator = useEmulator({}, { scope: "all" });

describe("protocol", () => {
  test("PROTO-01 POST / with X-Amz-Target dispatches; JSON 1.1 content type and a UUID request id", async () => {
    const res = await rawCall(emulator().emu.url, `${T}CreateStack`, JSON.stringify({ Name: "p1" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(res.headers.get("x-amzn-requestid")).toMatch(UUID);
    expect(JSON.parse(res.text).Stack.Name).toBe("p1");
    const out = await emulator().client.send(new DescribeStacksCommand({ Names: ["p1"] }));
    expect(out.$metadata.requestId).toMatch(UUID);
  });

  test("PROTO-02 errors carry __type, message and x-amzn-ErrorType with status 400", async () => {
    await rawCall(emulator().emu.url, `${T}CreateStack`, JSON.stringify({ Name: "p2" }));
    const res = await rawCall(emulator().emu.url, `${T}CreateStack`, JSON.stringify({ Name: "p2" }));
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("ResourceAlreadyExistsException");
    expect(JSON.parse(res.text)).toEqual({ __type: "ResourceAlreadyExistsException", message: "The stack p2 already exists." });
    const err = await errorOf(() => emulator().client.send(new CreateStackCommand({ Name: "p2" })));
    expect(err.name).toBe("ResourceAlreadyExistsException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  test("PROTO-03 ResourceNotFoundException is 404 by default and 400 when configured", async () => {
    const err = await errorOf(() => emulator().client.send(new DescribeFleetsCommand({ Names: ["nope"] })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.$metadata?.httpStatusCode).toBe(404);
    const emu400 = await startEmulator({ notFoundStatus: 400 });
    const c = clientOf(emu400.url);
    try {
      const err2 = await errorOf(() => c.send(new DescribeFleetsCommand({ Names: ["nope"] })));
      expect(err2.name).toBe("ResourceNotFoundException");
      expect(err2.$metadata?.httpStatusCode).toBe(400);
    } finally {
      c.destroy();
      await emu400.close();
    }
  });

  test("PROTO-04 unknown or missing target and non-POST methods → UnknownOperationException 400", async () => {
    for (const target of [`${T}FlyToTheMoon`, "AmazonSSM.ListDocuments", `${T}constructor`, undefined]) {
      const res = await rawCall(emulator().emu.url, target, "{}");
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).__type).toBe("UnknownOperationException");
    }
    const get = await fetch(`${emulator().emu.url}/`);
    expect(get.status).toBe(400);
    expect(((await get.json()) as { __type: string }).__type).toBe("UnknownOperationException");
  });

  test("PROTO-05 malformed JSON or a non-object body → SerializationException; empty body is {}", async () => {
    for (const body of ["{not json", "[1,2]", "42", '"str"', "null"]) {
      const res = await rawCall(emulator().emu.url, `${T}DescribeStacks`, body);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).__type).toBe("SerializationException");
    }
    const empty = await rawCall(emulator().emu.url, `${T}DescribeStacks`, "");
    expect(empty.status).toBe(200);
    expect(Array.isArray(JSON.parse(empty.text).Stacks)).toBe(true);
    // The server is still serving after all of that.
    const ok = await emulator().client.send(new DescribeStacksCommand({}));
    expect(ok.$metadata.httpStatusCode).toBe(200);
  });

  test("PROTO-05 a handler bug becomes InternalFailure 500 and the server keeps serving", async () => {
    const store = new Store({ account: "123456789012", timeScale: 0, pageSize: 5, quotas: DEFAULT_QUOTAS, durations: DEFAULT_DURATIONS, notFoundStatus: 404 });
    const server = createEmulatorServer({
      store,
      faults: new FaultEngine(noFaults()),
      calls: new CallLog(),
      ops: {
        Boom: () => {
          throw new TypeError("cannot read properties of undefined");
        },
        Fine: () => ({ ok: true }),
      },
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const boom = await rawCall(url, `${T}Boom`, "{}");
      expect(boom.status).toBe(500);
      expect(JSON.parse(boom.text).__type).toBe("InternalFailure");
      const fine = await rawCall(url, `${T}Fine`, "{}");
      expect(JSON.parse(fine.text)).toEqual({ ok: true });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test("PROTO-05 seeded random bodies sent to every operation never produce a 5xx", async () => {
    const random = prng(3);
    const values = [null, 1, -5, 1e9, "x", "", [], {}, ["a"], { a: 1 }, true, "arn:aws:appstream:us-east-1:123456789012:fleet/x"];
    const members = ["Name", "Names", "FleetName", "StackName", "ImageName", "ImageArn", "InstanceType", "ComputeCapacity", "VpcConfig",
      "AttributesToDelete", "UserSettings", "Tags", "TagKeys", "ResourceArn", "NextToken", "FleetType", "MaxSessionsPerInstance", "SessionId",
      "Limit", "MaxResults", "StorageConnectors", "ApplicationSettings", "UserId", "AuthenticationType", "DomainJoinInfo", "UserName"];
    const failures: string[] = [];
    for (const operation of Object.keys(OPS)) {
      for (let i = 0; i < 25; i++) {
        const body: Record<string, unknown> = {};
        for (const m of members) if (random() < 0.3) body[m] = values[Math.floor(random() * values.length)];
        const res = await rawCall(emulator().emu.url, `${T}${operation}`, JSON.stringify(body));
        if (res.status >= 500) failures.push(`${operation} ${JSON.stringify(body)} → ${res.text}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test("PROTO-06 absent members are omitted, never null; timestamps are epoch seconds", async () => {
    const res = await rawCall(emulator().emu.url, `${T}CreateFleet`, JSON.stringify(fleetInput("p6")));
    expect(res.text).not.toContain("null");
    const fleet = JSON.parse(res.text).Fleet;
    expect(fleet).not.toHaveProperty("Description");
    expect(fleet).not.toHaveProperty("VpcConfig");
    expect(typeof fleet.CreatedTime).toBe("number");
    expect(Math.abs(fleet.CreatedTime - Date.now() / 1000)).toBeLessThan(3600);
  });

  test("PROTO-07 the region comes from the SigV4 credential scope; state is per region", async () => {
    const west = emulator().clientFor("eu-west-1");
    const created = await west.send(new CreateFleetCommand(fleetInput("regional") as never));
    expect(created.Fleet!.Arn).toBe("arn:aws:appstream:eu-west-1:123456789012:fleet/regional");
    expect(created.Fleet!.ImageArn).toBe("arn:aws:appstream:eu-west-1::image/AppStream-WinServer2022-11-12-2025");
    const err = await errorOf(() => emulator().client.send(new DescribeFleetsCommand({ Names: ["regional"] })));
    expect(err.name).toBe("ResourceNotFoundException");
    const log = await calls(emulator().emu.url);
    expect(log.find((c) => c.operation === "CreateFleet" && c.resource === "regional")!.region).toBe("eu-west-1");
    // Without an Authorization header the default region applies.
    const res = await rawCall(emulator().emu.url, `${T}DescribeFleets`, JSON.stringify({ Names: ["p6"] }));
    expect(JSON.parse(res.text).Fleets[0].Arn).toBe("arn:aws:appstream:us-east-1:123456789012:fleet/p6");
  });

  test("PROTO-08 binds 127.0.0.1 only; the account id is configurable", async () => {
    expect(emulator().emu.url).toBe(`http://127.0.0.1:${emulator().emu.port}`);
    const other = await startEmulator({ account: "210987654321", timeScale: 0 });
    const c = clientOf(other.url);
    try {
      const out = await c.send(new CreateStackCommand({ Name: "acct" }));
      expect(out.Stack!.Arn).toBe("arn:aws:appstream:us-east-1:210987654321:stack/acct");
    } finally {
      c.destroy();
      await other.close();
    }
  });

  test("PROTO-09 model validation runs before the handler: ValidationException and no state change", async () => {
    const err = await errorOf(() => emulator().client.send(new CreateStackCommand({ Name: "-bad name" })));
    expect(err.name).toBe("ValidationException");
    expect(err.message).toMatch(/validation error/);
    const missing = await rawCall(emulator().emu.url, `${T}CreateFleet`, JSON.stringify({ Name: "no-type" }));
    expect(JSON.parse(missing.text).__type).toBe("ValidationException");
    const err2 = await errorOf(() => emulator().client.send(new DescribeFleetsCommand({ Names: ["no-type"] })));
    expect(err2.name).toBe("ResourceNotFoundException");
  });
});
