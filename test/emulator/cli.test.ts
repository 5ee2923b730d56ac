import { CreateFleetCommand, CreateStackCommand, DescribeStacksCommand } from "@aws-sdk/client-appstream";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { clientOf, errorOf, fleetInput } from "./helpers.js";
import { runCli, spawnEmulator } from "./spawn.js";

function hasAwsCli(): boolean {
  try {
    execFileSync("aws", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const AWS = hasAwsCli();
if (!AWS) console.warn("cli.test.ts: the AWS CLI (`aws`) is not installed; CLI-04 is skipped");

function aws(url: string, args: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(
      "aws",
      ["appstream", ...args, "--endpoint-url", url, "--region", "us-east-1", "--output", "json"],
      {
        env: {
          PATH: process.env.PATH,
          HOME: mkdtempSync(join(tmpdir(), "aws-home-")),
          AWS_ACCESS_KEY_ID: "AKIDTEST",
          AWS_SECRET_ACCESS_KEY: "secret",
          AWS_PAGER: "",
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
      },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim() === "" ? {} : JSON.parse(stdout))),
    );
  });
}

describe("appstreamctl emulator", () => {
  test("CLI-01 the first stdout line is exactly 'listening on http://127.0.0.1:PORT'", async () => {
    const emu = await spawnEmulator(["--time-scale", "0", "--page-size", "2"]);
    try {
      expect(emu.firstLine).toBe(`listening on http://127.0.0.1:${emu.port}`);
      expect(emu.port).toBeGreaterThan(0);
      const res = await fetch(`${emu.url}/_emulator/state`);
      expect(res.status).toBe(200);
    } finally {
      expect(await emu.stop()).toBe(0);
    }
  });

  test("CLI-02 SIGTERM and SIGINT shut down cleanly with exit 0 and the state file flushed", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "emu-cli-")), "nested", "state.json");
    const emu = await spawnEmulator(["--state-file", file, "--time-scale", "0"]);
    const c = clientOf(emu.url);
    await c.send(new CreateFleetCommand(fleetInput("flushed") as never));
    c.destroy();
    expect(await emu.stop("SIGTERM")).toBe(0);
    expect(emu.stderr()).toContain("emulator stopped");
    expect(Object.keys(JSON.parse(readFileSync(file, "utf8")).regions["us-east-1"].fleets)).toEqual(["flushed"]);
    const again = await spawnEmulator(["--state-file", file]);
    expect(await again.stop("SIGINT")).toBe(0);
  });

  test("CLI-05 with -v every API call is printed to stderr", async () => {
    const emu = await spawnEmulator(["--time-scale", "0"], ["-v"]);
    const c = clientOf(emu.url);
    await c.send(new CreateFleetCommand(fleetInput("loud") as never));
    await c.send(new CreateFleetCommand(fleetInput("loud") as never)).catch(() => undefined);
    c.destroy();
    expect(await emu.stop()).toBe(0);
    expect(emu.stderr()).toContain("1 us-east-1 CreateFleet loud → ok (200)");
    expect(emu.stderr()).toContain("2 us-east-1 CreateFleet loud → ResourceAlreadyExistsException (400)");
  });

  test("CLI-06 --account sets the ARN account and --not-found-status 400 the ResourceNotFoundException status", async () => {
    const emu = await spawnEmulator(["--time-scale", "0", "--account", "210987654321", "--not-found-status", "400"]);
    const c = clientOf(emu.url);
    try {
      const stack = await c.send(new CreateStackCommand({ Name: "acct" }));
      expect(stack.Stack!.Arn).toBe("arn:aws:appstream:us-east-1:210987654321:stack/acct");
      const err = await errorOf(() => c.send(new DescribeStacksCommand({ Names: ["ghost"] })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.$metadata?.httpStatusCode).toBe(400);
    } finally {
      c.destroy();
      expect(await emu.stop()).toBe(0);
    }
    const bad = await runCli(["emulator", "--port", "0", "--account", "12345"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--account");
  });

  test("CLI-03 an invalid --faults spec exits 1 with the reason on stderr", async () => {
    const r = await runCli(["emulator", "--port", "0", "--faults", "throttle=lots"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("throttle=lots");
    expect(r.stdout).toBe("");
  });

  test.skipIf(!AWS)("CLI-04 the AWS CLI works against it, including automatic pagination of describe-fleets", async () => {
    const emu = await spawnEmulator(["--time-scale", "0", "--page-size", "2"]);
    try {
      const stack = await aws(emu.url, ["create-stack", "--name", "cli-stack", "--display-name", "From CLI"]);
      expect(stack.Stack.Arn).toBe("arn:aws:appstream:us-east-1:123456789012:stack/cli-stack");
      expect(stack.Stack.UserSettings).toHaveLength(8);
      const c = clientOf(emu.url);
      for (let i = 0; i < 5; i++) await c.send(new CreateFleetCommand(fleetInput(`cli-f${i}`) as never));
      c.destroy();
      const fleets = await aws(emu.url, ["describe-fleets"]);
      expect(fleets.Fleets.map((f: { Name: string }) => f.Name)).toEqual(["cli-f0", "cli-f1", "cli-f2", "cli-f3", "cli-f4"]);
      expect(fleets.NextToken).toBeUndefined();
      expect(await aws(emu.url, ["start-fleet", "--name", "cli-f0"])).toEqual({});
      const started = await aws(emu.url, ["describe-fleets", "--names", "cli-f0"]);
      expect(started.Fleets[0].State).toBe("RUNNING");
      // AWS CLI v1 prints the wire value (cli_timestamp_format none): epoch seconds.
      expect(typeof started.Fleets[0].CreatedTime).toBe("number");
      const assoc = await aws(emu.url, ["describe-user-stack-associations", "--stack-name", "cli-stack"]);
      expect(assoc.UserStackAssociations ?? []).toEqual([]);
      const err = await aws(emu.url, ["describe-stacks", "--names", "ghost"]).catch((e: Error) => e);
      expect(String(err)).toContain("ResourceNotFoundException");
      const log = (await (await fetch(`${emu.url}/_emulator/calls`)).json()) as { calls: { operation: string }[] };
      // botocore followed NextToken: 5 fleets at page size 2 → 3 DescribeFleets calls for the first listing.
      expect(log.calls.filter((x) => x.operation === "DescribeFleets").length).toBe(3 + 1);
    } finally {
      await emu.stop();
    }
  });
});
