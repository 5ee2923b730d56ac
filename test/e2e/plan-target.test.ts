/**
 * A saved plan records the account (STS), region and endpoint it was made for; applying it anywhere
 * else exits 5 and sends no mutating call. The `Target:` line
 * shows the account and endpoint really used.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/core/plan-types.js";
import { calls, control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials } from "./helpers.js";
import { labelled } from "./lock-helpers.js";

fakeAwsCredentials();

describe("saved plan target", () => {
  let home: TestEmulator;
  let otherAccount: TestEmulator;
  let sameAccount: TestEmulator;
  let file = "";
  let out = "";
  beforeAll(async () => {
    [home, otherAccount, sameAccount] = await Promise.all([
      startTestEmulator(), startTestEmulator({ account: "210987654321" }), startTestEmulator(),
    ]);
    file = labelled("target", "a", false);
    out = join(dirname(file), "plan.json");
  });
  afterAll(async () => Promise.all([home.close(), otherAccount.close(), sameAccount.close()]));

  it("plan shows and saves the account, region and endpoint", async () => {
    const r = await cli(home.emu.url, ["-f", file, "plan", "--out", out]);
    expect(r.code).toBe(0);
    // What was used, and where each setting came from.
    expect(r.stdout.split("\n")[0]).toBe(`Target: account 123456789012, region us-east-1 (from AWS_REGION), endpoint ${home.emu.url} (from --endpoint-url), set "target"`);
    const saved = JSON.parse(readFileSync(out, "utf8")) as Plan;
    expect(saved.target).toEqual({ account: "123456789012", region: "us-east-1", regionSource: "AWS_REGION", endpoint: home.emu.url, endpointSource: "flag" });
  });

  it.each([
    ["another account", () => otherAccount, [], (url: string) => [`  account 123456789012 in the plan, 210987654321 now`, `  endpoint URL_HOME in the plan, ${url} now`]],
    ["another endpoint of the same account", () => sameAccount, [], (url: string) => [`  endpoint URL_HOME in the plan, ${url} now`]],
    ["another region", () => home, ["--region", "eu-west-1"], () => ["  region us-east-1 in the plan, eu-west-1 now"]],
  ] as const)("applied against %s: exit 5, the differences listed, no mutating call", async (_what, where, extra, expected) => {
    const emu = where();
    await control(emu.emu.url, "DELETE", "calls");
    const r = await cli(emu.emu.url, [...extra, "-f", file, "apply", "--auto-approve", out]);
    expect(r.code).toBe(5);
    const lines = r.stderr.split("\n");
    const at = lines.indexOf("The saved plan was made for another target; nothing was changed.");
    expect(at).toBeGreaterThanOrEqual(0);
    const want = expected(emu.emu.url).map((l) => l.replace("URL_HOME", home.emu.url));
    expect(lines.slice(at + 1, at + 1 + want.length)).toEqual(want);
    expect((await calls(emu.emu.url)).filter((c) => c.mutating)).toEqual([]);
  });

  it("applied where it was made, it runs", async () => {
    const r = await cli(home.emu.url, ["-f", file, "apply", "--auto-approve", out]);
    expect(r.code).toBe(0);
    expect((await calls(home.emu.url)).filter((c) => c.mutating).map((c) => c.operation).sort()).toEqual(["AssociateFleet", "CreateFleet", "CreateStack"]);
  });
});
