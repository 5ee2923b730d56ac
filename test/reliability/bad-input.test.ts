/**
 * Bad input never reaches AWS: every invalid fixture with an error makes `validate` and `plan` exit 1
 * with `file:line:col: error [CODE]` for each expected diagnostic, and the emulator's call log stays empty
 * — no call at all, so certainly no mutating one. The few fixtures whose only finding is a warning
 * (a literal password, an unknown instance type...) are valid manifests: validate exits 0 printing the
 * warning at its position and makes no call; plan may read but makes no mutating call.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calls, control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { fakeAwsCredentials } from "../e2e/helpers.js";
import { cli, record } from "./helpers.js";

const DIR = join(import.meta.dirname, "../fixtures/invalid");
const fixtures = readdirSync(DIR).filter((n) => n.endsWith(".yaml") || statSync(join(DIR, n)).isDirectory()).sort();

/** `file:line:col CODE` of every `# expect:` line of a fixture (a directory: each of its files). */
function expected(name: string): string[] {
  const files = statSync(join(DIR, name)).isDirectory()
    ? readdirSync(join(DIR, name)).filter((f) => f.endsWith(".yaml")).sort().map((f) => `${name}/${f}`)
    : [name];
  return files.flatMap((f) => [...readFileSync(join(DIR, f), "utf8").matchAll(/^# expect: (\S+) (\d+):(\d+)$/gm)].map((m) => `${f}:${m[2]}:${m[3]} ${m[1]}`));
}

/** The `file:line:col CODE` of every diagnostic line the CLI printed. */
function printed(stderr: string): string[] {
  return [...stderr.matchAll(/^(\S+):(\d+):(\d+): (?:error|warning) \[([a-z0-9.-]+)\]/gm)].map((m) => `${m[1]}:${m[2]}:${m[3]} ${m[4]}`);
}

let t: TestEmulator;
let tried = 0;
let clean = 0;
let warningOnly = 0;
beforeAll(async () => {
  fakeAwsCredentials();
  t = await startTestEmulator();
});
afterAll(async () => {
  record({ suite: "bad input", cases: tried, faults: "none (invalid manifests)", converged: clean, lost: tried - clean, note: `validate, plan and plan -o json per fixture; ${warningOnly} warning-only fixtures exit 0 with zero mutating calls` });
  await t.close();
});

describe("bad input: every invalid fixture", () => {
  it("the corpus is large enough to mean something", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
  });

  it.each(fixtures)("%s: validate and plan exit 1 with file:line:col and the code, and make no call", async (name) => {
    tried++;
    const want = expected(name);
    expect(want.length).toBeGreaterThan(0);
    await control(t.emu.url, "DELETE", "calls");
    const validate = await cli(t.emu.url, ["-f", name, "validate"], { cwd: DIR });
    expect(printed(validate.stderr)).toEqual(expect.arrayContaining(want));
    expect(await calls(t.emu.url)).toEqual([]);
    if (!/\berror \[/.test(validate.stderr)) {
      // Warnings only: a valid manifest, so plan goes on to read; it must still change nothing.
      warningOnly++;
      expect(validate.code, validate.stderr).toBe(0);
      await cli(t.emu.url, ["-f", name, "plan"], { cwd: DIR });
      expect((await calls(t.emu.url)).filter((c) => c.mutating)).toEqual([]);
      clean++;
      return;
    }
    expect(validate.code, validate.stderr).toBe(1);
    for (const command of [["plan"], ["-o", "json", "plan"]]) {
      const r = await cli(t.emu.url, ["-f", name, ...command], { cwd: DIR });
      expect(r.code, `${command.join(" ")}: ${r.stderr}`).toBe(1);
      expect(printed(r.stderr), command.join(" ")).toEqual(expect.arrayContaining(want));
      expect(r.stdout, command.join(" ")).toBe("");
    }
    expect(await calls(t.emu.url)).toEqual([]);
    clean++;
  });
});

describe("bad input: files that are not UTF-8", () => {
  const HEAD = "apiVersion: appstreamctl/v1\nmetadata:\n  name: t\nstacks:\n  - name: s\n";
  it.each([
    ["UTF-16 with a byte-order mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEAD, "utf16le")]), "1:1"],
    ["UTF-16 without a byte-order mark", Buffer.from(HEAD, "utf16le"), "1:2"],
    ["UTF-16 big-endian with a byte-order mark", Buffer.from([0xfe, 0xff, ...Buffer.from(HEAD, "utf16le").swap16()]), "1:1"],
  ])("%s: validate and plan exit 1 with \"not UTF-8\" at file:line:col, and make no call", async (_what, bytes, at) => {
    tried++;
    const cwd = mkdtempSync(join(tmpdir(), "asctl-utf16-"));
    writeFileSync(join(cwd, "appstream.yaml"), bytes);
    await control(t.emu.url, "DELETE", "calls");
    for (const command of [["validate"], ["plan"], ["-o", "json", "plan"]]) {
      const r = await cli(t.emu.url, command, { cwd });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`appstream.yaml:${at}: error [manifest.encoding] not UTF-8: `);
      expect(r.stdout).toBe("");
    }
    expect(await calls(t.emu.url)).toEqual([]);
    clean++;
  });
});
