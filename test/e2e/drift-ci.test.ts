/**
 * The example GitHub Actions workflow (examples/ci/appstream.yml): plan on pull requests, drift on a
 * schedule. Its appstreamctl command lines are run here, as written, against the emulator.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials } from "./helpers.js";

const WORKFLOW = join(import.meta.dirname, "../../examples/ci/appstream.yml");
const MINIMAL = join(import.meta.dirname, "../../examples/minimal.yaml");

interface Job {
  if: string;
  steps: { name?: string; run?: string; uses?: string }[];
}

/** The appstreamctl command lines of a job, as argv arrays (`> file` redirections dropped). */
function commandsOf(job: Job, vars: Record<string, string>): string[][] {
  return job.steps
    .flatMap((s) => (s.run ?? "").split("\n"))
    .map((l) => l.trim())
    .filter((l) => l.startsWith("appstreamctl "))
    .map((l) => l.replace(/\s*>\s*\S+$/, "").replace(/"\$(\w+)"/g, (_, v: string) => vars[v] ?? "").split(/\s+/).slice(1));
}

beforeAll(fakeAwsCredentials);

describe("examples/ci/appstream.yml", () => {
  const wf = parse(readFileSync(WORKFLOW, "utf8")) as { on: Record<string, unknown>; jobs: Record<string, Job> };
  let t: TestEmulator;
  let dir: string;
  beforeAll(async () => {
    t = await startTestEmulator();
    dir = mkdtempSync(join(tmpdir(), "asctl-ci-"));
    copyFileSync(MINIMAL, join(dir, "appstream.yaml"));
  });
  afterAll(async () => t.close());

  it("plans on pull requests and checks drift on a schedule", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["pull_request", "schedule", "workflow_dispatch"]);
    expect(wf.jobs.plan!.if).toBe("github.event_name == 'pull_request'");
    expect(wf.jobs.drift!.if).toBe("github.event_name != 'pull_request'");
    expect(commandsOf(wf.jobs.plan!, {})).toEqual([["validate"], ["-o", "markdown", "plan", "--detailed-exitcode"]]);
    expect(commandsOf(wf.jobs.drift!, { GITHUB_STEP_SUMMARY: "S" })).toEqual([["drift", "--summary-file", "S"]]);
  });

  it("the plan job's commands: validate passes, the markdown plan exits 2 with changes", async () => {
    const [validate, plan] = commandsOf(wf.jobs.plan!, {});
    expect((await cli(t.emu.url, validate!, { cwd: dir })).code).toBe(0);
    const r = await cli(t.emu.url, plan!, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^### appstreamctl plan: minimal in us-east-1/);
  });

  it("the drift job's command appends the markdown report to the step summary and fails on drift", async () => {
    const summary = join(dir, "step-summary.md");
    writeFileSync(summary, "earlier step\n");
    const [drift] = commandsOf(wf.jobs.drift!, { GITHUB_STEP_SUMMARY: summary });
    const r = await cli(t.emu.url, drift!, { cwd: dir });
    expect(r.code).toBe(2);
    const text = readFileSync(summary, "utf8");
    expect(text.startsWith("earlier step\n### appstreamctl drift: minimal in us-east-1")).toBe(true);
    expect(text).toContain("- Fleet/apps");

    expect((await cli(t.emu.url, ["apply", "--auto-approve"], { cwd: dir })).code).toBe(0);
    const clean = await cli(t.emu.url, drift!, { cwd: dir });
    expect(clean.code).toBe(0);
    expect(readFileSync(summary, "utf8")).toContain("No drift: live state matches the manifest.");
  });
});
