/**
 * Names that are Object.prototype members, end to end through `--local` (the embedded emulator, its state
 * file written and read back between runs): stacks called `constructor`, `toString`, `hasOwnProperty`, a
 * user `__proto__`, tag keys `__proto__` and `constructor`. Apply creates them; the next run reads them
 * back from the state file and plans no change.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BufferOut, type Io } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";

async function local(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new BufferOut();
  const stderr = new BufferOut();
  const io: Io = { stdout, stderr, cwd, env: { AWS_REGION: "us-east-1" } };
  const code = await run(["--local", "--color", "never", ...args], io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const MANIFEST = `apiVersion: appstreamctl/v1
metadata:
  name: proto
defaults:
  tags:
    constructor: from-defaults
stacks:
  - name: constructor
    tags:
      __proto__: polluted
  - name: toString
  - name: hasOwnProperty
users:
  - userName: __proto__
    stacks: [constructor]
`;

describe("--local: names like Object.prototype members", () => {
  it("apply creates them all; the next run reads them back from the state file and plans no change", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "asctl-proto-"));
    writeFileSync(join(cwd, "appstream.yaml"), MANIFEST);
    const apply = await local(cwd, ["apply", "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    const state = JSON.parse(readFileSync(join(cwd, ".appstreamctl/local-state.json"), "utf8")) as {
      regions: Record<string, Record<string, Record<string, unknown>>>;
    };
    const region = state.regions["us-east-1"]!;
    expect(Object.keys(region.stacks!).sort()).toEqual(["constructor", "hasOwnProperty", "toString"]);
    expect(Object.keys(region.users!)).toEqual(["__proto__"]);
    const tags = region.tags!["arn:aws:appstream:us-east-1:123456789012:stack/constructor"] as Record<string, string>;
    expect(Object.entries(tags).sort()).toEqual([["__proto__", "polluted"], ["appstreamctl:set", "proto"], ["constructor", "from-defaults"]]);
    const plan = await local(cwd, ["plan", "--detailed-exitcode"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});
