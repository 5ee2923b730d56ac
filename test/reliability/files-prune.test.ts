/**
 * How files were found never deletes anything: under `-f DIR`, a symbolic link to a manifest file is
 * read, so `--prune` keeps what it declares; a link that cannot be read stops the run before any call;
 * and when a prune really deletes, the count per kind and the set are printed before anything is done.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calls, control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { fakeAwsCredentials } from "../e2e/helpers.js";
import { cli, record } from "./helpers.js";

const HEAD = "apiVersion: appstreamctl/v1\nmetadata:\n  name: files\n";

let t: TestEmulator;
let tried = 0;
let held = 0;
beforeAll(async () => {
  fakeAwsCredentials();
  t = await startTestEmulator();
});
afterAll(async () => {
  record({ suite: "files and --prune", cases: tried, faults: "symlinked, dangling and looping manifest files under -f DIR", converged: held, lost: tried - held, note: "converged = nothing the linked file declares was deleted" });
  await t.close();
});

/** conf/a.yaml declares stack `kept-a`; conf/b.yaml is a link to ../shared/b.yaml declaring `linked-b`. */
function layout(): string {
  const cwd = mkdtempSync(join(tmpdir(), "asctl-files-"));
  mkdirSync(join(cwd, "conf"));
  mkdirSync(join(cwd, "shared"));
  writeFileSync(join(cwd, "conf/a.yaml"), `${HEAD}stacks:\n  - name: kept-a\n`);
  writeFileSync(join(cwd, "shared/b.yaml"), "stacks:\n  - name: linked-b\n");
  symlinkSync("../shared/b.yaml", join(cwd, "conf/b.yaml"));
  return cwd;
}

const stackNames = async (): Promise<string[]> => {
  const { body } = await control(t.emu.url, "GET", "state");
  return Object.keys(body.regions["us-east-1"]?.stacks ?? {}).sort();
};

describe("-f DIR and --prune", () => {
  it("a symlinked manifest file is read: apply --prune deletes nothing it declares", async () => {
    tried++;
    const cwd = layout();
    const first = await cli(t.emu.url, ["-f", "conf", "apply", "--auto-approve", "--prune"], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(await stackNames()).toEqual(["kept-a", "linked-b"]);
    await control(t.emu.url, "DELETE", "calls");
    const again = await cli(t.emu.url, ["-f", "conf", "apply", "--auto-approve", "--prune"], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect((await calls(t.emu.url)).filter((c) => c.mutating)).toEqual([]);
    expect(await stackNames()).toEqual(["kept-a", "linked-b"]);
    held++;
  });

  it.each([
    ["a dangling link", (cwd: string) => rmSync(join(cwd, "shared/b.yaml")), "cannot read conf/b.yaml: it is a symbolic link to ../shared/b.yaml, which does not exist"],
    ["a link loop", (cwd: string) => {
      rmSync(join(cwd, "conf/b.yaml"));
      symlinkSync("c.yml", join(cwd, "conf/b.yaml"));
      symlinkSync("b.yaml", join(cwd, "conf/c.yml"));
    }, "cannot read conf/b.yaml: it is a symbolic link loop"],
    ["a directory named b.yaml", (cwd: string) => {
      rmSync(join(cwd, "conf/b.yaml"));
      mkdirSync(join(cwd, "conf/b.yaml"));
    }, "cannot read conf/b.yaml: it is a directory named like a manifest file"],
  ])("%s under -f DIR: apply --prune exits 1 naming it, and makes no call at all", async (_what, breakIt, message) => {
    tried++;
    const cwd = layout();
    expect((await cli(t.emu.url, ["-f", "conf", "apply", "--auto-approve"], { cwd })).code).toBe(0);
    breakIt(cwd);
    await control(t.emu.url, "DELETE", "calls");
    const r = await cli(t.emu.url, ["-f", "conf", "apply", "--auto-approve", "--prune"], { cwd });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`error [manifest.file-unreadable] ${message}`);
    expect(await calls(t.emu.url)).toEqual([]);
    expect(await stackNames()).toEqual(["kept-a", "linked-b"]);
    held++;
  });

  it("a file really removed: plan and apply --prune print what they delete, per kind and set, before doing it", async () => {
    const cwd = layout();
    expect((await cli(t.emu.url, ["-f", "conf", "apply", "--auto-approve"], { cwd })).code).toBe(0);
    rmSync(join(cwd, "conf/b.yaml"));
    const summary = "This plan deletes 1 resource of set `files`:\n  1 Stack\n";
    const plan = await cli(t.emu.url, ["-f", "conf", "plan", "--prune"], { cwd });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain(summary);
    await control(t.emu.url, "DELETE", "calls");
    // Without consent to delete, the count is still shown, and nothing is done.
    const refused = await cli(t.emu.url, ["-f", "conf", "apply", "--auto-approve", "--prune"], { cwd });
    expect(refused.code).toBe(1);
    // Printed before the consent check refuses (after the no-lock warning, if any).
    expect(refused.stderr).toMatch(new RegExp(`(^|\\n)${summary.replace(/[`]/g, ".")}error \\[cli.prompt\\]`));
    expect((await calls(t.emu.url)).filter((c) => c.mutating)).toEqual([]);
    const apply = await cli(t.emu.url, ["-f", "conf", "apply", "--auto-approve", "--allow-disruption", "--prune"], { cwd });
    expect(apply.code, apply.stderr).toBe(0);
    // Printed before the first change is reported.
    const at = apply.stderr.indexOf(summary);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(apply.stderr.slice(0, at)).not.toMatch(/^(start|done) /m);
    expect((await calls(t.emu.url)).filter((c) => c.mutating).map((c) => [c.operation, c.resource])).toEqual([["DeleteStack", "linked-b"]]);
    expect(await stackNames()).toEqual(["kept-a"]);
  });
});
