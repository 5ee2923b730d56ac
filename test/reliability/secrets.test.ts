/**
 * Secrets: the directory-config password (from APPSTREAM_AD_PASSWORD) must not appear in anything the CLI
 * writes — stdout, stderr, NDJSON events, saved plans, markdown, verbose logs — in success, failure and
 * rotation paths. Every run of every reliability suite goes through helpers.ts `cli`, which applies the
 * same check; this suite adds the outputs the others never produce, and saved plan files.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { fakeAwsCredentials, PASSWORD } from "../e2e/helpers.js";
import { assertNoSecret, cli, EXAMPLE, FULL, record } from "./helpers.js";

/**
 * How the directory-config calls fail: InvalidAccountStatus fails at once; the full run adds HTTP 500,
 * whose retry path (progress `retry` lines, up to a minute of backoff) also prints the error.
 */
const FAILURES = FULL ? ["ias", "500"] : ["ias"];

const DIR = "DirectoryConfig/corp.example.com";
let t: TestEmulator;
let outputs = 0;
let leaks = 0;

/** Runs the CLI (helpers.ts fails on a leak) and counts the outputs checked. */
async function checked(args: string[]) {
  try {
    const r = await cli(t.emu.url, args);
    outputs += 2;
    return r;
  } catch (err) {
    if (String(err).includes("leaked")) leaks++;
    throw err;
  }
}

function checkedFile(file: string): string {
  const text = readFileSync(file, "utf8");
  outputs++;
  if (text.includes(PASSWORD)) leaks++;
  assertNoSecret(file, text);
  return text;
}

beforeAll(async () => {
  fakeAwsCredentials();
  t = await startTestEmulator();
});
afterAll(async () => {
  record({ suite: "secrets", cases: outputs, faults: `failing CreateDirectoryConfig and UpdateDirectoryConfig (${FAILURES.join(", ")}), rotation`, converged: outputs - leaks, lost: leaks, note: "outputs checked: stdout, stderr, NDJSON, saved plans, markdown, -v logs" });
  await t.close();
});

describe("secrets: the password never leaves the process", () => {
  it.each(FAILURES)("failed creates: the error path of CreateDirectoryConfig (%s)", async (kind) => {
    await control(t.emu.url, "POST", "faults", { spec: `CreateDirectoryConfig:${kind}=1` });
    const r = await checked(["-v", "-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption", "--json"]);
    await control(t.emu.url, "POST", "faults", { spec: "" });
    expect(r.code).toBe(3);
  });

  it("plans in every format, saved plans, applies in every mode", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asctl-secrets-"));
    for (const output of ["text", "json", "markdown"]) {
      const out = join(dir, `plan-${output}.json`);
      const r = await checked(["-v", "-o", output, "-f", EXAMPLE, "plan", "--out", out]);
      expect(r.code).toBe(0);
      const saved = checkedFile(out);
      expect(saved).toContain("(sensitive)");
    }
    const applied = await checked(["-v", "-f", EXAMPLE, "apply", join(dir, "plan-json.json"), "--auto-approve", "--allow-disruption"]);
    expect(applied.code, applied.stdout).toBe(0);
    const again = await checked(["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption", "--json"]);
    expect(again.code).toBe(0);
  });

  it("rotation: the new password is sent, never shown, also when the update fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asctl-secrets-"));
    const planned = await checked(["-o", "markdown", "-f", EXAMPLE, "plan", "--rotate", DIR, "--out", join(dir, "rotate.json")]);
    expect(planned.code).toBe(0);
    expect(checkedFile(join(dir, "rotate.json"))).toContain(DIR);
    await control(t.emu.url, "POST", "faults", { spec: `UpdateDirectoryConfig:${FAILURES.at(-1)!}=1` });
    const failed = await checked(["-v", "-f", EXAMPLE, "apply", "--rotate", DIR, "--auto-approve", "--allow-disruption", "--json"]);
    await control(t.emu.url, "POST", "faults", { spec: "" });
    expect(failed.code).toBe(3);
    const ok = await checked(["-v", "-f", EXAMPLE, "apply", "--rotate", DIR, "--auto-approve", "--allow-disruption"]);
    expect(ok.code, ok.stdout).toBe(0);
  });

  it("drift and export", async () => {
    for (const output of ["text", "json", "markdown"]) {
      const r = await checked(["-v", "-o", output, "-f", EXAMPLE, "drift"]);
      expect(r.code, r.stderr).toBe(0);
    }
    const exported = await checked(["-v", "-f", EXAMPLE, "export"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(leaks).toBe(0);
  });
});
