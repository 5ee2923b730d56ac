/**
 * The apply lock end to end: the CLI against the
 * emulator's DynamoDB through the real SDK; two applies as real child processes.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeFleetsCommand, DescribeStacksCommand } from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { BufferOut } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { mutations } from "./apply-helpers.js";
import { cli, fakeAwsCredentials } from "./helpers.js";
import { assertSerialized, childCli, createLockTable, holdLock, labelled, lockItem, TABLE } from "./lock-helpers.js";

fakeAwsCredentials();

const APPLY = ["apply", "--auto-approve", "--allow-disruption"];

describe("apply lock", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      await createLockTable(t.emu.url);
    },
  });

  it("a held lock: apply fails with exit 1 naming who, since when, which run — and changes nothing in AppStream", async () => {
    const file = labelled("held", "a");
    await holdLock(emulator().emu.url, "appstreamctl/held/us-east-1", "run-held-1");
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", file, ...APPLY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `the apply lock appstreamctl/held/us-east-1 in DynamoDB table ${TABLE} (us-east-1) is held by ci@runner-7 (pid 4242) since ` +
        '2026-12-05T04:00:00.000Z',
    );
    expect(r.stderr).toContain('run run-held-1, command "appstreamctl apply" (--lock-timeout 0s). Wait for that run, pass a longer --lock-timeout, or if it crashed: appstreamctl force-unlock run-held-1');
    expect(await mutations(emulator().emu.url)).toEqual([`dynamodb:PutItem ${TABLE}`]);
    expect((await calls(emulator().emu.url)).map((c) => c.operation).filter((o) => !o.includes(":"))).toEqual([]);
    expect((await lockItem(emulator().emu.url, "appstreamctl/held/us-east-1"))?.RunId).toEqual({ S: "run-held-1" });
  });

  it("force-unlock names the holder, refuses another run's id and a missing --yes without a terminal, then breaks it; apply then runs and releases", async () => {
    const file = labelled("crashed", "a");
    const key = "appstreamctl/crashed/us-east-1";
    await holdLock(emulator().emu.url, key, "run-crashed-1");
    const wrong = await cli(emulator().emu.url, ["-f", file, "force-unlock", "--yes", "run-other"]);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining("It does not belong to run run-other: nothing was changed.")]);
    expect(wrong.stderr).toContain(`The apply lock ${key} in table ${TABLE} (us-east-1) is held by ci@runner-7 (pid 4242) since 2026-12-05T04:00:00.000Z`);
    const noTty = await cli(emulator().emu.url, ["-f", file, "force-unlock", "run-crashed-1"]);
    expect([noTty.code, noTty.stderr]).toEqual([1, expect.stringContaining("force-unlock needs a terminal to confirm, or --yes")]);
    expect((await lockItem(emulator().emu.url, key))?.RunId).toEqual({ S: "run-crashed-1" });

    const broke = await cli(emulator().emu.url, ["-f", file, "force-unlock", "--yes", "run-crashed-1"]);
    expect(broke.code).toBe(0);
    expect(broke.stdout).toBe(`Broke the apply lock ${key} of run run-crashed-1 (ci@runner-7, pid 4242).\n`);
    expect(await lockItem(emulator().emu.url, key)).toBeUndefined();
    const again = await cli(emulator().emu.url, ["-f", file, "force-unlock", "--yes"]);
    expect([again.code, again.stderr]).toEqual([0, `No apply lock is held for ${key} in table ${TABLE} (us-east-1); nothing to do.\n`]);

    await control(emulator().emu.url, "DELETE", "calls");
    const applied = await cli(emulator().emu.url, ["-f", file, ...APPLY]);
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(new RegExp(`Acquired the apply lock ${key} \\(table ${TABLE}, run [0-9a-f-]{36}\\)`));
    const muts = await mutations(emulator().emu.url);
    expect([muts[0], muts.at(-1)]).toEqual([`dynamodb:PutItem ${TABLE}`, `dynamodb:DeleteItem ${TABLE}`]);
    expect(muts.slice(1, -1).sort()).toEqual(["AssociateFleet crashed-fleet", "CreateFleet crashed-fleet", "CreateStack crashed-stack"]);
    expect(await lockItem(emulator().emu.url, key)).toBeUndefined();
  });

  it("--lock-timeout waits for the holder: the second apply starts once the first released", async () => {
    const file = labelled("waits", "a");
    const key = "appstreamctl/waits/us-east-1";
    await holdLock(emulator().emu.url, key, "run-waits-1");
    const applying = cli(emulator().emu.url, ["-f", file, ...APPLY, "--lock-timeout", "60s"]);
    // Released by its holder (the delete a finishing run makes) once the waiting run has tried once.
    for (let i = 0; i < 200 && !(await calls(emulator().emu.url)).some((c) => c.operation === "dynamodb:PutItem" && c.resource === "waits" && c.outcome === "ConditionalCheckFailedException"); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await cli(emulator().emu.url, ["-f", file, "force-unlock", "--yes", "run-waits-1"]);
    const r = await applying;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Waiting up to 1m 0s for the apply lock ${key}, held by ci@runner-7 (pid 4242)`);
    expect(await lockItem(emulator().emu.url, key)).toBeUndefined();
  });

  it("Ctrl-C while waiting for the lock exits 130 and leaves the holder's lock alone; Ctrl-C at the prompt releases ours", async () => {
    const file = labelled("interrupted", "a");
    const key = "appstreamctl/interrupted/us-east-1";
    await holdLock(emulator().emu.url, key, "run-int-1");
    let fire: (() => void) | undefined;
    const stderr = new BufferOut();
    const io = { stdout: new BufferOut(), stderr, cwd: process.cwd(), env: { AWS_REGION: "us-east-1" }, onInterrupt: (h: () => void) => ((fire = h), () => (fire = undefined)) };
    const waiting = run(["--endpoint-url", emulator().emu.url, "--color", "never", "-f", file, ...APPLY, "--lock-timeout", "5m"], io);
    for (let i = 0; i < 400 && !stderr.text().includes("Waiting up to 5m"); i++) await new Promise((r) => setTimeout(r, 25));
    fire?.();
    expect(await waiting).toBe(130);
    expect(stderr.text()).toContain("interrupted by Ctrl-C before anything was changed");
    expect((await lockItem(emulator().emu.url, key))?.RunId).toEqual({ S: "run-int-1" });

    await cli(emulator().emu.url, ["-f", file, "force-unlock", "--yes", "run-int-1"]);
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const prompted = new BufferOut();
    const atPrompt = run(["--endpoint-url", emulator().emu.url, "--color", "never", "-f", file, "apply"], { ...io, stderr: prompted, stdin });
    for (let i = 0; i < 400 && !prompted.text().includes("Do you want to perform these actions?"); i++) await new Promise((r) => setTimeout(r, 25));
    expect((await lockItem(emulator().emu.url, key))?.Who).toBeDefined();
    fire?.();
    expect(await atPrompt).toBe(130);
    expect(await lockItem(emulator().emu.url, key)).toBeUndefined();
    stdin.end();
  });

  it("--lock-table without the table: exit 1 with the command that creates it; no lock configured: a warning", async () => {
    const file = labelled("untabled", "a", false);
    const missing = await cli(emulator().emu.url, ["-f", file, ...APPLY, "--lock-table", "no-such-table"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      "the lock table no-such-table does not exist in us-east-1; create it once (a Terraform lock table serves too): aws dynamodb create-table --region us-east-1 --table-name no-such-table",
    );
    const unlocked = await cli(emulator().emu.url, ["-f", file, ...APPLY]);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stderr).toContain(
      'Warning: no apply lock is configured (metadata.lock.dynamodbTable or --lock-table): nothing stops another apply of set "untabled" in us-east-1 from running at the same time.',
    );
  });

  it("--local creates the lock table in the embedded emulator and releases the lock", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asctl-lock-local-"));
    const file = labelled("local", "a");
    const stderr = new BufferOut();
    const code = await run(["--local", "--color", "never", "-f", file, ...APPLY], { stdout: new BufferOut(), stderr, cwd: dir, env: {} });
    expect([code, stderr.text()]).toEqual([0, expect.stringMatching(/Acquired the apply lock appstreamctl\/local\/us-east-1 \(table appstreamctl-locks, run /)]);
    const state = JSON.parse(readFileSync(join(dir, ".appstreamctl", "local-state.json"), "utf8"));
    expect(state.regions["us-east-1"].dynamodbTables[TABLE].items).toEqual({});
  });

  it("two concurrent applies of one set (child processes) never interleave, and the estate ends as exactly one manifest says", async () => {
    await control(emulator().emu.url, "DELETE", "calls");
    const [a, b] = [labelled("pair", "A"), labelled("pair", "B")];
    const [ra, rb] = await Promise.all([childCli(emulator().emu.url, ["-f", a, ...APPLY, "--lock-timeout", "2m"]), childCli(emulator().emu.url, ["-f", b, ...APPLY, "--lock-timeout", "2m"])]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(await assertSerialized(emulator().emu.url)).toBe(2);
    const fleet = (await emulator().client.send(new DescribeFleetsCommand({ Names: ["pair-fleet"] }))).Fleets![0]!;
    const stack = (await emulator().client.send(new DescribeStacksCommand({ Names: ["pair-stack"] }))).Stacks![0]!;
    const label = fleet.DisplayName === "fleet A" ? "A" : "B";
    expect([fleet.DisplayName, fleet.Description, stack.Description]).toEqual([`fleet ${label}`, `written by ${label}`, `written by ${label}`]);
    const planA = await cli(emulator().emu.url, ["-f", a, "plan", "--detailed-exitcode"]);
    const planB = await cli(emulator().emu.url, ["-f", b, "plan", "--detailed-exitcode"]);
    expect([planA.code, planB.code].sort()).toEqual([0, 2]);
  });
});
