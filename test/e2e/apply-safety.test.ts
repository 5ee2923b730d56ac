/**
 * apply's safety rails end to end: consent (prompt or flags, never a silent skip), saved plans and
 * their staleness check, exit 3 with the summary of a partly done apply, and progress output (lines and
 * NDJSON) that never contains the directory password; and images produced in another region (CopyImage
 * is sent to the source region) or from a managed update.
 */
import { CreateImageBuilderCommand, UpdateFleetCommand } from "@aws-sdk/client-appstream";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import { BufferOut, type Io } from "../../src/cli/io.js";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, PASSWORD, writeManifest } from "./helpers.js";

const EXAMPLE = join(import.meta.dirname, "../../examples/appstream.yaml");
const IMAGE = "AppStream-WinServer2022-11-12-2025";

beforeAll(fakeAwsCredentials);

const manifest = (name: string, instanceType = "stream.standard.medium", extra = "") => `apiVersion: appstreamctl/v1
metadata: { name: ${name} }
fleets:
  - name: ${name}
    instanceType: ${instanceType}
    imageName: ${IMAGE}
    computeCapacity: { desiredInstances: 1 }
${extra}stacks:
  - name: ${name}
    fleet: ${name}
`;

/** Runs apply with a TTY stdin that answers `answer` (or closes without an answer). */
async function applyAtPrompt(url: string, file: string, answer: string | undefined, flags: string[] = []) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  if (answer === undefined) stdin.end();
  else stdin.end(`${answer}\n`);
  const stdout = new BufferOut();
  const stderr = new BufferOut();
  const io: Io = { stdout, stderr, stdin, cwd: process.cwd(), env: { AWS_REGION: "us-east-1", APPSTREAM_AD_PASSWORD: PASSWORD } };
  const code = await run(["--endpoint-url", url, "--color", "never", "-f", file, "apply", ...flags], io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("consent", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("without a terminal, creates need --auto-approve and disruption needs --allow-disruption too: cli.prompt, exit 1, nothing sent", async () => {
    const file = writeManifest(manifest("c1"));
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", file, "apply"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("[cli.prompt]");
    expect(r.stderr).toContain("pass --auto-approve");
    expect((await cli(emulator().emu.url, ["-f", file, "apply", "--auto-approve"])).code).toBe(0);

    const restart = writeManifest(manifest("c1", "stream.standard.large"));
    await control(emulator().emu.url, "DELETE", "calls");
    const d = await cli(emulator().emu.url, ["-f", restart, "apply", "--auto-approve"]);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain("pass --auto-approve --allow-disruption");
    expect(await mutations(emulator().emu.url)).toEqual([]);
  });

  it("at a terminal: 'yes' applies, anything else cancels, and a closed input is cli.prompt — never a silent skip", async () => {
    const file = writeManifest(manifest("c2"));
    await control(emulator().emu.url, "DELETE", "calls");
    const no = await applyAtPrompt(emulator().emu.url, file, "no");
    expect(no.code).toBe(1);
    expect(no.stderr).toContain("Apply cancelled: nothing was changed.");
    const closed = await applyAtPrompt(emulator().emu.url, file, undefined);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain("[cli.prompt]");
    expect(await mutations(emulator().emu.url)).toEqual([]);
    const yes = await applyAtPrompt(emulator().emu.url, file, "yes");
    expect(yes.code).toBe(0);
    expect(yes.stderr).toContain("Do you want to perform these actions?");
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
    // --auto-approve does not cover a disruptive plan at a terminal: it asks.
    const restart = writeManifest(manifest("c2", "stream.standard.large"));
    const ask = await applyAtPrompt(emulator().emu.url, restart, "yes", ["--auto-approve"]);
    expect(ask.stderr).toContain("This plan is disruptive");
    expect(ask.code).toBe(0);
  });

  it("no changes: exit 0, no prompt, nothing sent", async () => {
    const file = writeManifest(manifest("c3"));
    expect((await apply(emulator().emu.url, file)).code).toBe(0);
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", file, "apply"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("No changes.");
    expect(await mutations(emulator().emu.url)).toEqual([]);
  });
});

describe("saved plans", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("a saved plan applies as saved; a stale one exits 5 listing what changed and sends nothing", async () => {
    const file = writeManifest(manifest("p", "stream.standard.medium", "    displayName: One\n"));
    const out = join(dirname(file), "plan.json");
    expect((await cli(emulator().emu.url, ["-f", file, "plan", "--out", out])).code).toBe(0);
    expect((await cli(emulator().emu.url, ["-f", file, "apply", "--auto-approve", out])).code).toBe(0);
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});

    const next = writeManifest(manifest("p", "stream.standard.medium", "    displayName: Two\n"));
    const out2 = join(dirname(next), "plan.json");
    expect((await cli(emulator().emu.url, ["-f", next, "plan", "--out", out2])).code).toBe(0);
    await emulator().client.send(new UpdateFleetCommand({ Name: "p", DisplayName: "changed out of band" }));
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", next, "apply", "--auto-approve", out2]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("The saved plan is stale: 1 resource(s) changed since it was made; nothing was changed.");
    expect(r.stderr).toContain("  ~ Fleet/p changed since the plan");
    expect(await mutations(emulator().emu.url)).toEqual([]);
  });
});

describe("failures and progress", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("a failing step: its dependents are skipped, independent steps finish, exit 3 with the summary", async () => {
    // InvalidAccountStatus is terminal (reference §14.4): CreateStack fails, the association is skipped.
    await control(emulator().emu.url, "POST", "faults", { spec: "CreateStack:ias=1" });
    const file = writeManifest(manifest("x"));
    const r = await apply(emulator().emu.url, file);
    await control(emulator().emu.url, "POST", "faults", { spec: "" });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("Apply partly done: 3 done, 1 failed, 2 skipped steps in");
    expect(r.stdout).toMatch(/✓ Fleet\/x — 3 steps, /);
    expect(r.stdout).toContain("✗ Stack/x — stack.create failed after");
    expect(r.stdout).toContain("InvalidAccountStatusException");
    expect(r.stdout).toContain("- FleetAssociation/x/x — fleet-association.create skipped: depends on Stack/x#create, which failed");
    expect(r.stderr).toMatch(/^FAILED {3}Stack\/x#create/m);
    // A re-run converges.
    expect((await apply(emulator().emu.url, file)).code).toBe(0);
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
  });

  it("--json writes one NDJSON event per line and a summary, and no output ever holds the password", async () => {
    const r = await apply(emulator().emu.url, EXAMPLE, ["--json"]);
    expect(r.code).toBe(0);
    const events = r.stderr.trim().split("\n").map((l) => JSON.parse(l) as { type: string; state?: string; until?: string });
    const types = new Set(events.map((e) => e.type));
    // Transitions are immediate here, so resources are at their target on the first poll: no wait events
    // (a wait event reports a state on the way, never the target itself).
    // The example configures no apply lock: the warning about it is an event too.
    expect([...types].sort()).toEqual(["poll", "step-done", "step-start", "summary", "warning"]);
    expect(events.at(-1)).toMatchObject({ type: "summary", interrupted: false, counts: { failed: 0, skipped: 0 } });
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    const text = await cli(emulator().emu.url, ["-f", EXAMPLE, "-v", "apply", "--auto-approve", "--rotate", "DirectoryConfig/corp.example.com"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("DirectoryConfig/corp.example.com");
    expect(text.stdout + text.stderr).not.toContain(PASSWORD);
    expect(readFileSync(EXAMPLE, "utf8")).not.toContain(PASSWORD);
  });
});

describe("images across regions and managed updates", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("CopyImage is called in the source region, the copy is tagged in the plan's region, and an updated image is produced", async () => {
    const west = emulator().clientFor("us-west-2");
    await west.send(new CreateImageBuilderCommand({ Name: "wb", InstanceType: "stream.standard.medium", ImageName: IMAGE }));
    expect((await control(emulator().emu.url, "POST", "images", { builderName: "wb", imageName: "golden", region: "us-west-2" })).status).toBe(200);
    await emulator().client.send(new CreateImageBuilderCommand({ Name: "eb", InstanceType: "stream.standard.medium", ImageName: IMAGE }));
    expect((await control(emulator().emu.url, "POST", "images", { builderName: "eb", imageName: "base" })).status).toBe(200);
    expect((await control(emulator().emu.url, "POST", "image-updates", { imageName: "base" })).status).toBe(200);
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: images, region: us-east-1 }
images:
  - name: golden-copy
    source: { copyOf: { region: us-west-2, name: golden } }
    tags: { tier: gold }
  - name: base-patched
    source: { updateOf: base }
`);
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await apply(emulator().emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const log = (await calls(emulator().emu.url)).filter((c) => c.mutating);
    expect(log.map((c) => `${c.region} ${c.operation} ${c.resource}`).sort()).toEqual([
      "us-east-1 CreateUpdatedImage base",
      "us-east-1 TagResource arn:aws:appstream:us-east-1:123456789012:image/golden-copy",
      "us-west-2 CopyImage golden",
    ]);
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
  });
});
