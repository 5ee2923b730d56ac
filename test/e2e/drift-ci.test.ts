/**
 * The example GitHub Actions workflow (examples/ci/appstream.yml): plan on pull requests, apply on main,
 * drift on a schedule. Its appstreamctl command lines are run here, as written, against the emulator.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { useEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials } from "./helpers.js";

const WORKFLOW = join(import.meta.dirname, "../../examples/ci/appstream.yml");
const MINIMAL = join(import.meta.dirname, "../../examples/minimal.yaml");

interface Job {
  if: string;
  steps: { name?: string; run?: string; uses?: string; env?: Record<string, string> }[];
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
  const wf = parse(readFileSync(WORKFLOW, "utf8")) as { on: Record<string, { paths?: string[] }>; env: Record<string, string>; jobs: Record<string, Job> };
  let dir: string;
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      dir = mkdtempSync(join(tmpdir(), "asctl-ci-"));
      mkdirSync(join(dir, "appstream"));
      copyFileSync(MINIMAL, join(dir, "appstream", "appstream.yaml"));
    },
  });

  it("plans on pull requests, applies on main, checks drift on a schedule, watching every manifest file", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["pull_request", "push", "schedule", "workflow_dispatch"]);
    expect(wf.on.pull_request!.paths).toContain("appstream/**");
    expect(wf.jobs.plan!.if).toBe("github.event_name == 'pull_request'");
    expect(wf.jobs.apply!.if).toBe("github.event_name == 'push'");
    expect(wf.jobs.drift!.if).toBe("github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
    expect(commandsOf(wf.jobs.plan!, {})).toEqual([
      ["-f", "appstream/", "validate"],
      ["-f", "appstream/", "plan", "--detailed-exitcode", "--out", "plan.json"],
      ["-o", "markdown", "show", "plan.json"],
    ]);
    expect(commandsOf(wf.jobs.apply!, {})).toEqual([["-f", "appstream/", "apply", "--auto-approve", "--allow-disruption"]]);
    expect(commandsOf(wf.jobs.drift!, { GITHUB_STEP_SUMMARY: "S" })).toEqual([["-f", "appstream/", "drift", "--summary-file", "S"]]);
  });

  it("keeps the password out of the workflow-wide environment: only the apply step has it", () => {
    const text = readFileSync(WORKFLOW, "utf8");
    expect(Object.keys(wf.env)).not.toContain("APPSTREAM_AD_PASSWORD");
    const holders = Object.values(wf.jobs).flatMap((j) => j.steps).filter((st) => JSON.stringify(st).includes("APPSTREAM_AD_PASSWORD"));
    expect(holders.map((st) => st.name)).toEqual(["appstreamctl apply"]);
    expect(text.match(/secrets\.APPSTREAM_AD_PASSWORD/g)).toHaveLength(1);
    // Installs are pinned and checked: no unpinned registry install.
    expect(text).not.toMatch(/npm install --global appstreamctl\s*$/m);
    expect(text).toContain("sha256sum --check --strict");
  });

  it("the plan step fails on every exit but 0 and 2 (1 error, 3, 130)", () => {
    const step = wf.jobs.plan!.steps.find((st) => st.name === "appstreamctl plan")!;
    for (const [code, fails] of [[0, false], [2, false], [1, true], [3, true], [130, true]] as const) {
      const script = step.run!.replace(/appstreamctl -f appstream\/ plan[^\n]*/, `(exit ${code})`).replace(/appstreamctl -o markdown show[^\n]*/, "true");
      const r = spawnSync("bash", ["-e", "-c", script], { encoding: "utf8" });
      expect(r.status !== 0, `exit ${code}`).toBe(fails);
    }
  });

  it("the plan job's commands: validate passes, the plan exits 2 with changes, show renders its markdown", async () => {
    const [validate, plan, show] = commandsOf(wf.jobs.plan!, {});
    expect((await cli(emulator().emu.url, validate!, { cwd: dir })).code).toBe(0);
    const r = await cli(emulator().emu.url, plan!, { cwd: dir });
    expect(r.code).toBe(2);
    const md = await cli(emulator().emu.url, show!, { cwd: dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^### appstreamctl plan: minimal in us-east-1/);
  });

  it("the drift job's command appends the markdown report to the step summary and fails on drift", async () => {
    const summary = join(dir, "step-summary.md");
    writeFileSync(summary, "earlier step\n");
    const [drift] = commandsOf(wf.jobs.drift!, { GITHUB_STEP_SUMMARY: summary });
    const r = await cli(emulator().emu.url, drift!, { cwd: dir });
    expect(r.code).toBe(2);
    const text = readFileSync(summary, "utf8");
    expect(text.startsWith("earlier step\n### appstreamctl drift: minimal in us-east-1")).toBe(true);
    expect(text).toContain("- Fleet/apps");

    const [apply] = commandsOf(wf.jobs.apply!, {});
    expect((await cli(emulator().emu.url, apply!, { cwd: dir })).code).toBe(0);
    const clean = await cli(emulator().emu.url, drift!, { cwd: dir });
    expect(clean.code).toBe(0);
    expect(readFileSync(summary, "utf8")).toContain("No drift: live state matches the manifest.");
  });
});
