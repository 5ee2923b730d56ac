import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BufferOut, type Io } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";

async function script(shell: string): Promise<{ code: number; text: string; err: string }> {
  const io: Io = { stdout: new BufferOut(), stderr: new BufferOut(), env: {}, cwd: process.cwd() };
  const code = await run(["completion", shell], io);
  return { code, text: (io.stdout as BufferOut).text(), err: (io.stderr as BufferOut).text() };
}

/** Asks bash's completion function what it offers for the words typed so far (the last one being completed). */
function bashComplete(text: string, words: string[]): string[] {
  const file = join(mkdtempSync(join(tmpdir(), "asctl-compl-")), "c.bash");
  writeFileSync(file, text);
  const quoted = words.map((w) => `'${w}'`).join(" ");
  const r = spawnSync("bash", ["-c", `source ${file}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _appstreamctl; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean).sort();
}

describe("shell completion", () => {
  it("bash completes commands, each command's options and the choices of -o", async () => {
    const { code, text } = await script("bash");
    expect(code).toBe(0);
    expect(bashComplete(text, ["appstreamctl", "gr"])).toEqual(["graph"]);
    expect(bashComplete(text, ["appstreamctl", "plan", "--de"])).toEqual(["--detailed-exitcode"]);
    expect(bashComplete(text, ["appstreamctl", "apply", "--a"])).toEqual(["--adopt", "--allow-disruption", "--auto-approve"]);
    expect(bashComplete(text, ["appstreamctl", "conn"])).toEqual(["connect"]);
    expect(bashComplete(text, ["appstreamctl", "connect", "--"])).toEqual(["--application", "--fleet", "--help", "--user", "--validity"]);
    expect(bashComplete(text, ["appstreamctl", "-o", ""])).toEqual(["dot", "json", "markdown", "mermaid", "text", "yaml"]);
  });

  it("zsh and fish scripts name every command; an unknown shell is a usage error", async () => {
    const zsh = await script("zsh");
    expect(zsh.text).toContain("bashcompinit");
    const fish = await script("fish");
    for (const cmd of ["init", "validate", "plan", "apply", "show", "graph", "drift", "export", "connect", "completion"]) {
      expect(fish.text).toContain(` ${cmd}`);
      expect(zsh.text).toContain(`${cmd})`);
    }
    expect(fish.text).toContain('complete -c appstreamctl -n "__fish_seen_subcommand_from apply" -l auto-approve');
    const bad = await script("tcsh");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("Allowed choices are bash, zsh, fish");
  });

  it("--help ends with examples and the exit codes", async () => {
    const io: Io = { stdout: new BufferOut(), stderr: new BufferOut(), env: {}, cwd: process.cwd() };
    expect(await run(["--help"], io)).toBe(0);
    const help = (io.stdout as BufferOut).text();
    expect(help).toContain("Examples:\n  $ appstreamctl validate");
    expect(help).toContain("$ appstreamctl connect ImageBuilder/golden --validity 2h");
    expect(help).toMatch(/Exit codes:\n {2}0 {4}success[^\n]*\n {2}1 {4}error[^\n]*\n {2}2 {4}[^\n]*\n {2}3 {4}[^\n]*\n {2}5 {4}[^\n]*\n {2}130 {2}interrupted/);
  });
});
