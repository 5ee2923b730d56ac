/**
 * Secrets: the directory-config password (from APPSTREAM_AD_PASSWORD) must not appear in anything the CLI
 * writes — stdout, stderr, NDJSON events, saved plans, markdown, verbose logs — in success, failure and
 * rotation paths. Every run of every reliability suite goes through helpers.ts `cli`, which applies the
 * same check; this suite adds the outputs the others never produce, saved plan files, an endpoint that
 * echoes the request back in every encoding, and the `--local` state file.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { run } from "../../src/cli/main.js";
import { BufferOut, type Io } from "../../src/cli/io.js";
import { cli as e2eCli, fakeAwsCredentials, PASSWORD } from "../e2e/helpers.js";
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

/** A password that every escaping changes: quote, backslash, `<`, `&`, non-ASCII and an astral character. */
const TRICKY = 'Pa"ss\\w<rd>&é€🔑 x+%';

/** The encodings of TRICKY an echo can produce, computed here independently of the redaction code. */
function encodings(pw: string): string[] {
  const json = JSON.stringify(pw).slice(1, -1);
  const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return [pw, json, JSON.stringify(json).slice(1, -1), ascii(json), encodeURIComponent(pw), encodeURIComponent(json), html(pw), html(json)];
}

describe("secrets: echoed by the endpoint in any encoding, never shown", () => {
  let echo: Server;
  let url: string;
  let echoed = 0;
  beforeAll(async () => {
    const upstream = new URL(t.emu.url);
    // Forwards to the emulator, except that the calls carrying the password fail with an error that
    // echoes the request body raw, JSON-escaped again, \u-escaped, URL-encoded and as HTML.
    echo = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const target = String(req.headers["x-amz-target"] ?? "");
        if (/(Create|Update)DirectoryConfig$/.test(target)) {
          echoed++;
          const pw = (JSON.parse(body) as { ServiceAccountCredentials?: { AccountPassword?: string } }).ServiceAccountCredentials?.AccountPassword ?? "";
          const html = body.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
          const message = [
            `request was: ${body}`, `as a string: ${JSON.stringify(body)}`, `ascii: ${JSON.stringify(JSON.parse(body)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}`,
            `form: ${encodeURIComponent(body)}`, `page: ${html}`, `password: ${pw}`,
          ].join(" | ");
          res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-ErrorType": "ValidationException" });
          res.end(JSON.stringify({ __type: "ValidationException", message }));
          return;
        }
        const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        });
        up.end(body);
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    echo.closeAllConnections();
    await new Promise((resolve) => echo.close(resolve));
  });

  it.each([["text", ["-v"]], ["NDJSON", ["--json"]]])("apply (%s progress): the echo is shown with the password redacted", async (_mode, flags) => {
    const dir = mkdtempSync(join(tmpdir(), "asctl-secrets-"));
    const before = echoed;
    const r = await e2eCli(url, ["-f", EXAMPLE, "apply", "--rotate", DIR, "--auto-approve", "--allow-disruption", ...flags], { env: { APPSTREAM_AD_PASSWORD: TRICKY }, cwd: dir });
    expect(echoed).toBeGreaterThan(before);
    expect(r.code).toBe(3);
    const all = r.stdout + r.stderr;
    expect(all).toContain("request was:");
    expect(all).toContain("(sensitive)");
    for (const form of encodings(TRICKY)) expect(all.includes(form), `an encoding of the password leaked: ${form}`).toBe(false);
    expect(all).not.toContain("Pa\\\"ss");
    expect(all).not.toContain("Pa%22ss");
  });

  it("--local keeps neither the password nor a hash of it in its state file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asctl-secrets-local-"));
    const stdout = new BufferOut();
    const stderr = new BufferOut();
    const io: Io = { stdout, stderr, cwd: dir, env: { APPSTREAM_AD_PASSWORD: TRICKY } };
    const code = await run(["--local", "--color", "never", "-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption"], io);
    expect(code, stderr.text()).toBe(0);
    const state = readFileSync(join(dir, ".appstreamctl", "local-state.json"), "utf8");
    for (const form of encodings(TRICKY)) expect(state.includes(form)).toBe(false);
    for (const hash of ["sha256", "sha1", "md5"]) {
      expect(state).not.toContain(createHash(hash).update(TRICKY).digest("hex"));
      expect(state).not.toContain(createHash(hash).update(TRICKY).digest("base64"));
    }
    expect(state).toMatch(/"AccountPasswordMarker": ?"set:[0-9a-f]{24}"/);
  });
});
