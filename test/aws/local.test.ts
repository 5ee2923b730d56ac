/**
 * End to end through the real SDK over HTTP: `--local` starts the embedded emulator in-process, calls
 * succeed, errors classify, and the state file is written under <cwd>/.appstreamctl.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connect } from "../../src/aws/client.js";
import { classify, toAppError } from "../../src/aws/errors.js";
import { collect } from "../../src/aws/paginate.js";
import { startEmulator } from "../../src/emulator/index.js";

let cwd: string | undefined;
afterEach(() => {
  vi.unstubAllEnvs();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
  cwd = undefined;
});

describe("--local", () => {
  it("serves DescribeFleets through the SDK, and the state file appears on close and is read back", async () => {
    cwd = mkdtempSync(join(tmpdir(), "appstreamctl-e2e-"));
    const stateFile = join(cwd, ".appstreamctl", "local-state.json");
    const conn = await connect({ env: {}, cwd }, { globals: { local: true }, localTimeScale: 0, maxAttempts: 1 });
    expect(conn.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(conn.region).toBe("us-east-1");

    const empty = await conn.api.call("DescribeFleets", {});
    expect(empty.Fleets ?? []).toEqual([]);
    await conn.api.call("CreateStack", { Name: "e2e-stack", Tags: { "appstreamctl:set": "e2e" } });

    const missing = await conn.api.call("DescribeFleets", { Names: ["no-such-fleet"] }).catch((e: unknown) => e);
    expect(classify(missing)).toBe("not-found");
    expect(toAppError(missing, { operation: "DescribeFleets", resource: "Fleet/no-such-fleet" }).message).toMatch(
      /^DescribeFleets Fleet\/no-such-fleet failed: ResourceNotFoundException: /,
    );
    const aborted = await conn.api.call("DescribeFleets", {}, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(classify(aborted)).toBe("aborted");
    expect(conn.api.counter.snapshot()).toEqual({
      reads: 3,
      mutations: 1,
      errors: 2,
      byOperation: { DescribeFleets: 3, CreateStack: 1 },
    });

    await conn.close();
    expect(existsSync(stateFile)).toBe(true);
    expect(readFileSync(stateFile, "utf8")).toContain("e2e-stack");

    // A second run (a new process in real life) starts from the saved state.
    const again = await connect({ env: {}, cwd }, { globals: { local: true }, localTimeScale: 0, maxAttempts: 1 });
    const stacks = await collect(async (token) => {
      const page = await again.api.call("DescribeStacks", token ? { NextToken: token } : {});
      return { items: page.Stacks ?? [], next: page.NextToken };
    });
    expect(stacks.map((s) => s.Name)).toEqual(["e2e-stack"]);
    await again.close();
  });

  it("the region precedence applies: a manifest region is used in local mode", async () => {
    cwd = mkdtempSync(join(tmpdir(), "appstreamctl-e2e-"));
    const conn = await connect({ env: { AWS_REGION: "eu-west-1" }, cwd }, { globals: { local: true }, manifestRegion: "eu-central-1", localTimeScale: 0 });
    expect([conn.region, conn.regionSource]).toEqual(["eu-central-1", "manifest"]);
    const out = await conn.api.call("DescribeFleets", {});
    expect(out.Fleets ?? []).toEqual([]);
    await conn.close();
  });
});

describe("--endpoint-url (real AWS mode against a separately started emulator)", () => {
  it("reaches the endpoint from AWS_ENDPOINT_URL_APPSTREAM with the SDK's credential chain", async () => {
    const emu = await startEmulator({ port: 0, timeScale: 0 });
    try {
      // The SDK's default credential chain reads the process environment.
      vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
      const conn = await connect(
        { env: { AWS_ENDPOINT_URL_APPSTREAM: emu.url, AWS_REGION: "us-west-2" }, cwd: "/" },
        { globals: { local: false }, maxAttempts: 1 },
      );
      expect(conn.endpoint).toBe(emu.url);
      await conn.api.call("CreateStack", { Name: "via-endpoint" });
      const out = await conn.api.call("DescribeStacks", { Names: ["via-endpoint"] });
      expect(out.Stacks?.map((s) => s.Name)).toEqual(["via-endpoint"]);
      expect(out.Stacks?.[0]?.Arn).toContain(":us-west-2:");
      await conn.close();
    } finally {
      await emu.close();
    }
  });
});
