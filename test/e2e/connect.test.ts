/**
 * `appstreamctl connect` end to end: the real CLI, the real SDK, the emulator over HTTP. The validity
 * sent is read back from the emulator's answer: its `Expires` is the call's arrival plus the Validity
 * it received, and the call log records when the call arrived.
 */
import {
  AssociateAppBlockBuilderAppBlockCommand, AssociateFleetCommand, CreateAppBlockBuilderCommand, CreateAppBlockCommand, CreateFleetCommand, CreateImageBuilderCommand, CreateStackCommand,
  StartAppBlockBuilderCommand, StartFleetCommand, StopImageBuilderCommand,
} from "@aws-sdk/client-appstream";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BufferOut, type Io } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";
import { calls, fleetInput, useEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials } from "./helpers.js";

const BASE = "AppStream-WinServer2022-11-12-2025";

beforeAll(fakeAwsCredentials);

/** The one AppStream call of the run (STS is not asked by connect), with the validity its answer implies. */
async function onlyCall(url: string, expires: string) {
  const log = (await calls(url)).filter((c) => !c.operation.startsWith("sts:") && c.operation !== "GetCallerIdentity");
  return log.map((c) => ({
    operation: c.operation, resource: c.resource, outcome: c.outcome,
    validitySeconds: Math.round((Date.parse(expires) - Date.parse(c.time)) / 1000),
  }));
}

async function operations(url: string): Promise<string[]> {
  return (await calls(url)).map((c) => `${c.operation} ${c.resource ?? ""} ${c.outcome}`.trim());
}

describe("connect ImageBuilder/NAME", () => {
  const emu = useEmulator({}, {
    setUp: async (t) => {
      await t.client.send(new CreateImageBuilderCommand({ Name: "golden", InstanceType: "stream.standard.medium", ImageName: BASE }));
      await t.client.send(new CreateImageBuilderCommand({ Name: "parked", InstanceType: "stream.standard.medium", ImageName: BASE }));
      await t.client.send(new StopImageBuilderCommand({ Name: "parked" }));
      await fetch(`${t.emu.url}/_emulator/calls`, { method: "DELETE" });
    },
  });

  it("RUNNING builder: prints the URL and its expiry (two lines); the call carries --validity in seconds", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", "ImageBuilder/golden", "--validity", "2h"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/authenticate\?parameters=\S+$/);
    expect(lines[1]).toMatch(/^expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[2]).toBe("");
    expect(await onlyCall(url, lines[1]!.slice("expires ".length))).toEqual([
      { operation: "CreateImageBuilderStreamingURL", resource: "golden", outcome: "ok", validitySeconds: 7200 },
    ]);
  });

  it("-o json prints {address, url, expires}; without --validity the link lasts 3600 s", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["-o", "json", "-vv", "connect", "ImageBuilder/golden"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(out)).toEqual(["address", "url", "expires"]);
    expect(out.address).toBe("ImageBuilder/golden");
    expect(out.url).toMatch(/^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/authenticate\?parameters=/);
    expect(await onlyCall(url, out.expires!)).toEqual([
      { operation: "CreateImageBuilderStreamingURL", resource: "golden", outcome: "ok", validitySeconds: 3600 },
    ]);
  });

  it("--validity in plain seconds and in days, up to the model's 604800", async () => {
    const url = emu().emu.url;
    const a = JSON.parse((await cli(url, ["-o", "json", "connect", "ImageBuilder/golden", "--validity", "90"])).stdout) as { expires: string };
    const b = JSON.parse((await cli(url, ["-o", "json", "connect", "ImageBuilder/golden", "--validity", "7d"])).stdout) as { expires: string };
    const log = (await calls(url)).filter((c) => c.operation === "CreateImageBuilderStreamingURL");
    expect(log.map((c, i) => Math.round((Date.parse([a, b][i]!.expires) - Date.parse(c.time)) / 1000))).toEqual([90, 604800]);
  });

  it("a stopped builder: connect.not-ready telling to start it, exit 1, no URL printed", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", "ImageBuilder/parked"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error [connect.not-ready] the image builder parked is not RUNNING; start it first (state: running in the manifest and apply");
    expect(r.stderr).toContain("(AppStream: The image builder parked is STOPPED; connecting needs a RUNNING image builder.)");
    expect(await operations(url)).toEqual(["CreateImageBuilderStreamingURL parked OperationNotPermittedException"]);
  });

  it("an unknown builder: connect.not-found naming it and the region", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", "ImageBuilder/nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[connect\.not-found\] there is no image builder named nope in us-east-1 \(AppStream: /);
    expect(await operations(url)).toEqual(["CreateImageBuilderStreamingURL nope ResourceNotFoundException"]);
  });

  it.each([
    [["--validity", "0"], "connect.validity", "--validity 0 is 0 seconds; image builder links last 1–604800 seconds (7d)"],
    [["--validity", "8d"], "connect.validity", "--validity 8d is 691200 seconds; image builder links last 1–604800 seconds (7d)"],
    [["--validity", "1.5h"], "connect.validity", "--validity \"1.5h\" is not a duration"],
    [["--validity", "soon"], "connect.validity", "--validity \"soon\" is not a duration"],
    [["--user", "alice"], "cli.usage", "--user applies to Stack/NAME only"],
    [["--fleet", "f"], "cli.usage", "--fleet applies to Stack/NAME only"],
  ])("bad input %j: %s, exit 1, nothing sent", async (extra, code, message) => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", "ImageBuilder/golden", ...extra]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`error [${code}] ${message}`);
    expect(await calls(url)).toEqual([]);
  });

  it.each([["Fleet/f"], ["golden"], ["ImageBuilder/"], ["constructor/x"]])("address %s is a usage error naming the supported kinds; nothing sent", async (address) => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", address]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error [cli.usage] connect takes ImageBuilder/NAME, AppBlockBuilder/NAME, Stack/NAME; not "${address}"`);
    expect(await calls(url)).toEqual([]);
  });

  it("-o yaml is refused before any call", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["-o", "yaml", "connect", "ImageBuilder/golden"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error [cli.usage] connect does not print -o yaml; it prints text, json");
    expect(await calls(url)).toEqual([]);
  });
});

describe("connect --local", () => {
  it("talks to the embedded emulator: an unknown builder there is connect.not-found", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "asctl-connect-"));
    const stdout = new BufferOut();
    const stderr = new BufferOut();
    const io: Io = { stdout, stderr, cwd, env: {} };
    expect(await run(["--local", "--color", "never", "connect", "ImageBuilder/ghost"], io)).toBe(1);
    expect(stdout.text()).toBe("");
    expect(stderr.text()).toMatch(/^error \[connect\.not-found\] there is no image builder named ghost in us-east-1 /);
  });
});

describe("connect Stack/NAME --user", () => {
  const emu = useEmulator({}, {
    setUp: async (t) => {
      await t.client.send(new CreateFleetCommand(fleetInput("office-fleet")));
      await t.client.send(new StartFleetCommand({ Name: "office-fleet" }));
      await t.client.send(new CreateStackCommand({ Name: "office" }));
      await t.client.send(new AssociateFleetCommand({ StackName: "office", FleetName: "office-fleet" }));
      await t.client.send(new CreateStackCommand({ Name: "lonely" }));
      await t.client.send(new CreateFleetCommand(fleetInput("night-fleet")));
      await t.client.send(new CreateStackCommand({ Name: "night" }));
      await t.client.send(new AssociateFleetCommand({ StackName: "night", FleetName: "night-fleet" }));
      await fetch(`${t.emu.url}/_emulator/calls`, { method: "DELETE" });
    },
  });

  it("reads the stack's fleet, then CreateStreamingURL with it, the user and the validity", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["-o", "json", "connect", "Stack/office", "--user", "alice@example.com", "--validity", "30m"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { address: string; url: string; expires: string };
    expect(out.address).toBe("Stack/office");
    expect(await operations(url)).toEqual(["ListAssociatedFleets office ok", "CreateStreamingURL office-fleet ok"]);
    const created = (await calls(url)).find((c) => c.operation === "CreateStreamingURL")!;
    expect(Math.round((Date.parse(out.expires) - Date.parse(created.time)) / 1000)).toBe(1800);
  });

  it("--fleet chooses the fleet without reading the association", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", "Stack/office", "--user", "bob", "--fleet", "office-fleet"]);
    expect(r.code).toBe(0);
    expect(await operations(url)).toEqual(["CreateStreamingURL office-fleet ok"]);
  });

  it("the stack's fleet is stopped: connect.not-ready telling to start the fleet, exit 1", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", "Stack/night", "--user", "alice"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error [connect.not-ready] the fleet night-fleet is not RUNNING; start it first (state: running in the manifest and apply");
    expect(await operations(url)).toEqual(["ListAssociatedFleets night ok", "CreateStreamingURL night-fleet ResourceNotAvailableException"]);
  });

  it("a stack without a fleet: connect.no-fleet, and no CreateStreamingURL", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", "Stack/lonely", "--user", "alice"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error [connect.no-fleet] the stack lonely has no associated fleet to stream from");
    expect(await operations(url)).toEqual(["ListAssociatedFleets lonely ok"]);
  });

  it.each([
    [[], "connect Stack/office needs --user"],
    [["--user", "x"], "--user \"x\" is not a streaming user id"],
    [["--user", "has space"], "--user \"has space\" is not a streaming user id"],
  ])("%j: cli.usage, nothing sent", async (extra, message) => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", "Stack/office", ...extra]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error [cli.usage] ${message}`);
    expect(await calls(url)).toEqual([]);
  });
});

describe("connect AppBlockBuilder/NAME", () => {
  const emu = useEmulator({}, {
    setUp: async (t) => {
      const builder = (name: string) => ({
        Name: name, Platform: "WINDOWS_SERVER_2019" as const, InstanceType: "stream.standard.medium",
        VpcConfig: { SubnetIds: ["subnet-a", "subnet-b"] },
      });
      // A builder starts only while associated with an app block (the block it packages).
      await t.client.send(new CreateAppBlockCommand({ Name: "pkg", SourceS3Location: { S3Bucket: "apps" }, PackagingType: "APPSTREAM2" }));
      await t.client.send(new CreateAppBlockBuilderCommand(builder("packager")));
      await t.client.send(new AssociateAppBlockBuilderAppBlockCommand({
        AppBlockBuilderName: "packager", AppBlockArn: "arn:aws:appstream:us-east-1:123456789012:app-block/pkg",
      }));
      await t.client.send(new StartAppBlockBuilderCommand({ Name: "packager" }));
      await t.client.send(new CreateAppBlockBuilderCommand(builder("idle")));
      await fetch(`${t.emu.url}/_emulator/calls`, { method: "DELETE" });
    },
  });

  it("RUNNING builder: CreateAppBlockBuilderStreamingURL with the validity", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["-o", "json", "connect", "AppBlockBuilder/packager", "--validity", "45m"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { expires: string };
    expect(await onlyCall(url, out.expires)).toEqual([
      { operation: "CreateAppBlockBuilderStreamingURL", resource: "packager", outcome: "ok", validitySeconds: 2700 },
    ]);
  });

  it("a stopped builder: connect.not-ready, exit 1", async () => {
    const url = emu().emu.url;
    const r = await cli(url, ["connect", "AppBlockBuilder/idle"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error [connect.not-ready] the app block builder idle is not RUNNING; start it first");
    expect(await operations(url)).toEqual(["CreateAppBlockBuilderStreamingURL idle OperationNotPermittedException"]);
  });
});
