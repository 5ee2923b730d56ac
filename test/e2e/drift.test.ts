import {
  BatchDisassociateUserStackCommand, CreateFleetCommand, DeleteFleetCommand, DescribeFleetsCommand, DisableUserCommand,
  StopFleetCommand, StopImageBuilderCommand, TagResourceCommand, UpdateFleetCommand, UpdateImagePermissionsCommand, UpdateStackCommand,
} from "@aws-sdk/client-appstream";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriftItem, DriftReport } from "../../src/core/drift.js";
import { calls, control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { apply } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const IMAGE = "AppStream-WinServer2022-11-12-2025";
const MANIFEST = `apiVersion: appstreamctl/v1
metadata: { name: drift-test }
images:
  - name: golden
    source:
      importFromAmi: { sourceAmiId: ami-0123456789abcdef0, iamRoleArn: "arn:aws:iam::123456789012:role/import" }
    sharedWith: [{ accountId: "210987654321" }]
fleets:
  - { name: web, instanceType: stream.standard.medium, imageName: ${IMAGE}, computeCapacity: { desiredInstances: 2 }, displayName: Web apps }
  - { name: batch, instanceType: stream.standard.small, imageName: ${IMAGE}, computeCapacity: { desiredInstances: 1 }, state: stopped }
  - name: auto
    instanceType: stream.standard.small
    imageName: ${IMAGE}
    computeCapacity: { desiredInstances: 1 }
    ignoreChanges: [computeCapacity.desiredInstances]
  - { name: cli, instanceType: stream.standard.small, imageName: ${IMAGE}, computeCapacity: { desiredInstances: 1 } }
imageBuilders:
  - { name: builder, instanceType: stream.standard.medium, imageName: ${IMAGE} }
stacks:
  - { name: web, fleet: web }
  - { name: ops, displayName: Operations }
users:
  - { userName: alice@example.com, stacks: [web] }
  - { userName: bob@example.com, stacks: [web, ops] }
`;

beforeAll(fakeAwsCredentials);

const items = (r: DriftReport): DriftItem[] => [...r.changed, ...r.missing, ...r.unmanaged];
const find = (r: DriftReport, address: string) => items(r).find((i) => i.address === address);

describe("drift against an estate changed out of band", () => {
  let t: TestEmulator;
  let file: string;
  beforeAll(async () => {
    t = await startTestEmulator();
    file = writeManifest(MANIFEST);
    const r = await apply(t.emu.url, file);
    if (r.code !== 0) throw new Error(`apply exited ${r.code}: ${r.stderr}`);
  }, 60_000);
  afterAll(async () => t.close());

  it("a clean estate: exit 0, no drift, zero mutating calls", async () => {
    await control(t.emu.url, "DELETE", "calls");
    const r = await cli(t.emu.url, ["-f", file, "drift"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("No drift.");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("Drift: 0 changed, 0 missing, 0 unmanaged.");
    expect(r.code).toBe(0);
    const log = await calls(t.emu.url);
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((c) => c.mutating)).toEqual([]);
  });

  it("reports each out-of-band change in its category with its field; ignored fields stay quiet", async () => {
    const c = t.client;
    await c.send(new StopFleetCommand({ Name: "web" }));
    await c.send(new StopImageBuilderCommand({ Name: "builder" }));
    await c.send(new UpdateFleetCommand({ Name: "web", DisplayName: "Hand edited" }));
    await c.send(new TagResourceCommand({ ResourceArn: "arn:aws:appstream:us-east-1:123456789012:stack/web", Tags: { owner: "console" } }));
    await c.send(new DisableUserCommand({ UserName: "alice@example.com", AuthenticationType: "USERPOOL" }));
    await c.send(new BatchDisassociateUserStackCommand({ UserStackAssociations: [{ StackName: "ops", UserName: "bob@example.com", AuthenticationType: "USERPOOL" }] }));
    await c.send(new UpdateImagePermissionsCommand({ Name: "golden", SharedAccountId: "111122223333", ImagePermissions: { allowFleet: true, allowImageBuilder: true } }));
    await c.send(new DeleteFleetCommand({ Name: "batch" }));
    await c.send(new CreateFleetCommand({ Name: "hand-made", InstanceType: "stream.standard.small", ImageName: IMAGE, ComputeCapacity: { DesiredInstances: 1 } }));
    await c.send(new CreateFleetCommand({ Name: "scratch-1", InstanceType: "stream.standard.small", ImageName: IMAGE, ComputeCapacity: { DesiredInstances: 1 } }));
    // Ignored: the autoscaled capacity (ignoreChanges) and the ops stack's display name (.appstreamignore).
    await c.send(new UpdateFleetCommand({ Name: "auto", ComputeCapacity: { DesiredInstances: 5 } }));
    await c.send(new UpdateStackCommand({ Name: "ops", DisplayName: "Renamed by hand" }));
    writeFileSync(join(dirname(file), ".appstreamignore"), "# scratch fleets come and go\nFleet/scratch-*\nStack/ops displayName\n");

    await control(t.emu.url, "DELETE", "calls");
    const r = await cli(t.emu.url, ["-f", file, "-o", "json", "drift"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.changed.map((i) => i.address)).toEqual(["Fleet/web", "Image/golden", "ImageBuilder/builder", "Stack/web", "User/alice@example.com", "User/bob@example.com"]);
    expect(find(report, "Fleet/web")!.diff.map((d) => [d.path, d.before, d.after])).toEqual([
      ["displayName", "Web apps", "Hand edited"],
      ["state", "running", "stopped"],
    ]);
    expect(find(report, "Fleet/web")!.state).toBe("STOPPED");
    expect(find(report, "ImageBuilder/builder")!.diff.map((d) => [d.path, d.before, d.after])).toEqual([["state", "running", "stopped"]]);
    expect(find(report, "Stack/web")!.diff.map((d) => [d.path, d.before, d.after])).toEqual([["tags.owner", undefined, "console"]]);
    expect(find(report, "User/alice@example.com")!.diff.map((d) => [d.path, d.before, d.after])).toEqual([["enabled", true, false]]);
    expect(find(report, "User/bob@example.com")!.diff.map((d) => [d.path, d.before, d.after])).toEqual([["stacks", ["ops", "web"], ["web"]]]);
    expect(find(report, "Image/golden")!.diff.map((d) => [d.path, d.before, d.after])).toEqual([
      ["sharedWith", [{ accountId: "210987654321" }], [{ accountId: "111122223333", allowImageBuilder: true }, { accountId: "210987654321" }]],
    ]);
    expect(report.missing.map((i) => i.address)).toEqual(["Fleet/batch"]);
    expect(report.unmanaged.map((i) => i.address)).toEqual(["Fleet/hand-made"]);
    expect(find(report, "Fleet/auto")).toBeUndefined();
    expect(find(report, "Stack/ops")).toBeUndefined();
    expect(report.summary).toEqual({ changed: 6, missing: 1, unmanaged: 1, ignored: 3 });
    expect((await calls(t.emu.url)).filter((c) => c.mutating)).toEqual([]);
  });

  it("text and markdown name the same drift; --summary-file writes the markdown", async () => {
    const text = await cli(t.emu.url, ["-f", file, "drift"]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain("~ Fleet/web (STOPPED)");
    expect(text.stdout).toContain(`    state: "running" → "stopped"`);
    expect(text.stdout).toContain("- Fleet/batch");
    expect(text.stdout).toContain("? Fleet/hand-made");
    expect(text.stdout.trimEnd().split("\n").at(-1)).toBe("Drift: 6 changed, 1 missing, 1 unmanaged. (3 ignored)");
    const summary = join(dirname(file), "summary.md");
    const md = await cli(t.emu.url, ["-f", file, "-o", "markdown", "drift", "--summary-file", summary]);
    expect(md.code).toBe(2);
    expect(md.stdout).toContain("| 6 | 1 | 1 | 3 |");
    expect(md.stdout).toContain("```diff\n");
    expect(readFileSync(summary, "utf8")).toBe(md.stdout);
  });

  it("errors exit 1 and reach no AWS: an invalid manifest, a usage error", async () => {
    await control(t.emu.url, "DELETE", "calls");
    const bad = writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: bad }\nfleets:\n  - { name: x, instanceTyp: stream.standard.small }\n");
    const r = await cli(t.emu.url, ["-f", bad, "drift"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("schema.unknown-field");
    expect((await cli(t.emu.url, ["-f", file, "drift", "--read-concurrency", "0"])).code).toBe(1);
    expect(await calls(t.emu.url)).toEqual([]);
  });

  it("a fleet stopped with the AWS CLI is reported", async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "" };
    // Asynchronously: the emulator serves from this process, so a blocking spawn would starve it.
    const aws = await new Promise<{ code: number | null; stderr: string; missing: boolean }>((done) => {
      execFile("aws", ["appstream", "stop-fleet", "--name", "cli", "--endpoint-url", t.emu.url], { env }, (err, _out, stderr) => {
        const missing = (err as NodeJS.ErrnoException | null)?.code === "ENOENT";
        done({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stderr, missing });
      });
    });
    if (aws.missing) {
      console.warn("skipped: the AWS CLI (`aws`) is not on PATH");
      return;
    }
    expect(aws.stderr).toBe("");
    expect(aws.code).toBe(0);
    const fleets = await t.client.send(new DescribeFleetsCommand({ Names: ["cli"] }));
    expect(fleets.Fleets?.[0]?.State).toBe("STOPPED");
    const r = await cli(t.emu.url, ["-f", file, "-o", "json", "drift"]);
    const item = find(JSON.parse(r.stdout) as DriftReport, "Fleet/cli");
    expect(item?.category).toBe("changed");
    expect(item?.diff.map((d) => [d.path, d.before, d.after])).toEqual([["state", "running", "stopped"]]);
  });
});
