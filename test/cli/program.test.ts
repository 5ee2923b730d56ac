import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import { BufferOut, type Io } from "../../src/cli/io.js";

function io(env: Record<string, string> = {}): Io & { stdout: BufferOut; stderr: BufferOut } {
  return { stdout: new BufferOut(), stderr: new BufferOut(), env, cwd: process.cwd() };
}

describe("CLI skeleton", () => {
  it("prints help listing every command of DESIGN.md §2 and exits 0", async () => {
    const t = io();
    expect(await run(["--help"], t)).toBe(0);
    for (const cmd of ["init", "validate", "plan", "apply", "drift", "export", "schema", "emulator"]) {
      expect(t.stdout.text()).toMatch(new RegExp(`^\\s+${cmd}\\b`, "m"));
    }
  });

  it("exits 1 (never 2) on an unknown option, with usage on stderr", async () => {
    const t = io();
    expect(await run(["plan", "--no-such-flag"], t)).toBe(1);
    expect(t.stderr.text()).toContain("unknown option");
    expect(t.stdout.text()).toBe("");
  });

  it("exits 1 on an unknown command and on a bad option value", async () => {
    expect(await run(["frobnicate"], io())).toBe(1);
    expect(await run(["-o", "xml", "schema"], io())).toBe(1);
    expect(await run(["apply", "--parallelism", "zero"], io())).toBe(1);
  });

  it("accepts global options after the command", async () => {
    const t = io();
    expect(await run(["schema", "--color", "never", "-o", "json"], t)).toBe(0);
    expect(JSON.parse(t.stdout.text()).$schema).toMatch(/json-schema/);
  });
});

describe("init", () => {
  it("writes a starter manifest whose modeline names a schema file inside the project, and refuses to overwrite", async () => {
    const { mkdtempSync, readFileSync, existsSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join, resolve } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "asctl-init-"));
    const t = { ...io(), cwd: dir };
    expect(await run(["init"], t)).toBe(0);
    const text = readFileSync(join(dir, "appstream.yaml"), "utf8");
    const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
    expect(modeline).not.toBeNull();
    // A path a teammate's checkout has too: beside the manifest, never into node_modules or this machine.
    expect(modeline![1]).toBe("./appstream.schema.json");
    expect(existsSync(resolve(dir, modeline![1]!))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "appstream.schema.json"), "utf8")).$id).toMatch(/appstream\.schema\.json$/);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe(".appstreamctl/\n");
    const again = { ...io(), cwd: dir };
    expect(await run(["init"], again)).toBe(1);
    expect(again.stderr.text()).toContain("[cli.usage]");
    expect(await run(["init", "--force"], { ...io(), cwd: dir })).toBe(0);
    // The ignore entry is not written twice.
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe(".appstreamctl/\n");
  });

  it("prints appstreamctl's own version, not the version of the project it runs in", async () => {
    const { readFileSync } = await import("node:fs");
    const own = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
    const t = io({ npm_package_version: "9.9.9-host" });
    expect(await run(["--version"], t)).toBe(0);
    expect(t.stdout.text().trim()).toBe(own);
  });
});
