/**
 * How `-f` finds files: links are followed, and anything named as a manifest that cannot be read as a
 * regular UTF-8 file is an error naming the path — never skipped, because `--prune` would delete what a
 * skipped file declares.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest } from "../../src/manifest/index.js";
import { decodeUtf8, firstInvalid } from "../../src/manifest/encoding.js";

const HEAD = "apiVersion: appstreamctl/v1\nmetadata:\n  name: t\n";

function dir(): string {
  return mkdtempSync(path.join(tmpdir(), "appstreamctl-files-"));
}

/** Code and message of every diagnostic, for asserting which path was named and why. */
async function load(cwd: string, args: string[]) {
  const loaded = await loadManifest({ cwd, env: {} }, args);
  return { loaded, found: loaded.diagnostics.map((d) => [d.code, d.message]) };
}

describe("-f follows symbolic links", () => {
  it("reads a linked file inside a directory, in sorted order with the others", async () => {
    const cwd = dir();
    mkdirSync(path.join(cwd, "conf"));
    mkdirSync(path.join(cwd, "shared"));
    writeFileSync(path.join(cwd, "conf/a.yaml"), HEAD + "stacks:\n  - name: s\n");
    writeFileSync(path.join(cwd, "shared/fleets.yaml"), "fleets:\n  - name: f\n    instanceType: stream.standard.small\n    imageName: img\n    computeCapacity: {desiredInstances: 1}\n");
    symlinkSync("../shared/fleets.yaml", path.join(cwd, "conf/b-fleets.yaml"));
    const { loaded, found } = await load(cwd, ["conf"]);
    expect(found).toEqual([]);
    expect(loaded.files).toEqual(["conf/a.yaml", "conf/b-fleets.yaml"]);
    expect(loaded.manifest.fleets.map((f) => f.name)).toEqual(["f"]);
  });

  it("reads a linked file named directly", async () => {
    const cwd = dir();
    writeFileSync(path.join(cwd, "real.yaml"), HEAD + "stacks:\n  - name: s\n");
    symlinkSync("real.yaml", path.join(cwd, "appstream.yaml"));
    const { loaded, found } = await load(cwd, []);
    expect(found).toEqual([]);
    expect(loaded.manifest.stacks.map((s) => s.name)).toEqual(["s"]);
  });
});

describe("-f DIR never skips a manifest file it cannot read", () => {
  it("a dangling link is an error naming the link and its target", async () => {
    const cwd = dir();
    mkdirSync(path.join(cwd, "conf"));
    writeFileSync(path.join(cwd, "conf/a.yaml"), HEAD);
    symlinkSync("../gone.yaml", path.join(cwd, "conf/b.yaml"));
    const { found } = await load(cwd, ["conf"]);
    expect(found).toEqual([["manifest.file-unreadable", "cannot read conf/b.yaml: it is a symbolic link to ../gone.yaml, which does not exist"]]);
  });

  it("a link loop is an error naming the link", async () => {
    const cwd = dir();
    mkdirSync(path.join(cwd, "conf"));
    writeFileSync(path.join(cwd, "conf/a.yaml"), HEAD);
    symlinkSync("c.yaml", path.join(cwd, "conf/b.yaml"));
    symlinkSync("b.yaml", path.join(cwd, "conf/c.yaml"));
    const { found } = await load(cwd, ["conf"]);
    expect(found).toEqual([
      ["manifest.file-unreadable", "cannot read conf/b.yaml: it is a symbolic link loop"],
      ["manifest.file-unreadable", "cannot read conf/c.yaml: it is a symbolic link loop"],
    ]);
  });

  it("a FIFO is an error, not a read that waits forever (in a directory or named directly)", async () => {
    const cwd = dir();
    mkdirSync(path.join(cwd, "conf"));
    writeFileSync(path.join(cwd, "conf/a.yaml"), HEAD);
    execFileSync("mkfifo", [path.join(cwd, "conf/pipe.yaml")]);
    expect((await load(cwd, ["conf"])).found).toEqual([["manifest.file-unreadable", "cannot read conf/pipe.yaml: it is a named pipe (FIFO), not a regular file"]]);
    expect((await load(cwd, ["conf/pipe.yaml"])).found).toEqual([["manifest.file-unreadable", "cannot read conf/pipe.yaml: it is a named pipe (FIFO), not a regular file"]]);
  });

  it("a directory named *.yaml is an error, also behind a link", async () => {
    const cwd = dir();
    mkdirSync(path.join(cwd, "conf/more.yaml"), { recursive: true });
    mkdirSync(path.join(cwd, "other"));
    writeFileSync(path.join(cwd, "conf/a.yaml"), HEAD);
    symlinkSync("../other", path.join(cwd, "conf/linked.yml"));
    const { found } = await load(cwd, ["conf"]);
    expect(found).toEqual([
      ["manifest.file-unreadable", "cannot read conf/linked.yml: it is a directory named like a manifest file"],
      ["manifest.file-unreadable", "cannot read conf/more.yaml: it is a directory named like a manifest file"],
    ]);
  });

  it.skipIf(process.getuid?.() === 0)("a file without read permission is an error naming it", async () => {
    const cwd = dir();
    mkdirSync(path.join(cwd, "conf"));
    writeFileSync(path.join(cwd, "conf/a.yaml"), HEAD);
    chmodSync(path.join(cwd, "conf/a.yaml"), 0o000);
    const { found } = await load(cwd, ["conf"]);
    expect(found.map(([code, message]) => [code, message?.startsWith("cannot read conf/a.yaml: ")])).toEqual([["manifest.file-unreadable", true]]);
  });

  it("files with other names stay out of a directory's manifest, as documented", async () => {
    const cwd = dir();
    mkdirSync(path.join(cwd, "conf/notes"), { recursive: true });
    writeFileSync(path.join(cwd, "conf/a.yaml"), HEAD);
    writeFileSync(path.join(cwd, "conf/README.md"), "# notes");
    writeFileSync(path.join(cwd, "conf/notes/todo.txt"), "later");
    const { loaded, found } = await load(cwd, ["conf"]);
    expect(found).toEqual([]);
    expect(loaded.files).toEqual(["conf/a.yaml"]);
  });

  it("a subdirectory holding manifest files is not read, and a warning says so", async () => {
    const cwd = dir();
    mkdirSync(path.join(cwd, "conf/prod"), { recursive: true });
    writeFileSync(path.join(cwd, "conf/a.yaml"), HEAD);
    writeFileSync(path.join(cwd, "conf/prod/b.yaml"), "fleets: [");
    writeFileSync(path.join(cwd, "conf/prod/c.yml"), "stacks: []");
    const { loaded } = await load(cwd, ["conf"]);
    expect(loaded.files).toEqual(["conf/a.yaml"]);
    expect(loaded.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ["manifest.file-skipped", "warning", "conf/prod holds 2 manifest files that -f conf does not read: only the files directly in conf are read"],
    ]);
  });
});

describe("manifest files are UTF-8", () => {
  const at = (bytes: Uint8Array) => {
    const d = decodeUtf8("m.yaml", bytes).diagnostic;
    return d && [d.code, d.loc?.line, d.loc?.col, d.message];
  };
  const utf16le = (s: string) => new Uint8Array(Buffer.from(s, "utf16le"));

  it("UTF-16 with a byte-order mark: not UTF-8, at 1:1", () => {
    expect(at(new Uint8Array([0xff, 0xfe, ...utf16le("apiVersion: x\n")]))).toEqual(["manifest.encoding", 1, 1, "not UTF-8: it starts with a UTF-16 byte-order mark"]);
    expect(at(new Uint8Array([0xfe, 0xff, 0, 0x61]))).toEqual(["manifest.encoding", 1, 1, "not UTF-8: it starts with a UTF-16 byte-order mark"]);
  });

  it("UTF-16 without a byte-order mark: not UTF-8, at its first NUL", () => {
    expect(at(utf16le("apiVersion: x\n"))).toEqual(["manifest.encoding", 1, 2, "not UTF-8: it holds NUL bytes, as UTF-16 text does"]);
  });

  it("an invalid byte: not UTF-8 at its line and column, counted in characters", () => {
    const bytes = new Uint8Array([...Buffer.from("a: 1\nname: é"), 0xff, ...Buffer.from("x\n")]);
    expect(at(bytes)).toEqual(["manifest.encoding", 2, 8, "not UTF-8: byte 0xFF does not start a valid UTF-8 character (Latin-1 or another legacy encoding?)"]);
  });

  it("rejects overlong forms, surrogates, code points past U+10FFFF and truncated sequences", () => {
    expect(firstInvalid(new Uint8Array([0x61, 0xc0, 0xaf]))).toBe(1);
    expect(firstInvalid(new Uint8Array([0x61, 0xe0, 0x80, 0xaf]))).toBe(1);
    expect(firstInvalid(new Uint8Array([0x61, 0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalid(new Uint8Array([0x61, 0xf4, 0x90, 0x80, 0x80]))).toBe(1);
    // Latin-1 é before a line break: the é is the character to fix.
    expect(firstInvalid(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toBe(3);
    expect(firstInvalid(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(1);
    expect(firstInvalid(new Uint8Array(Buffer.from("héllo €𝄞")))).toBe(Buffer.from("héllo €𝄞").length);
  });

  it("a UTF-8 byte-order mark is accepted and dropped, so columns on line 1 count as an editor shows them", () => {
    expect(decodeUtf8("m.yaml", new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).text).toBe("a");
  });

  it("loading reports the file and position and reads nothing of it", async () => {
    const cwd = dir();
    writeFileSync(path.join(cwd, "appstream.yaml"), Buffer.concat([Buffer.from("\ufeff", "utf16le"), Buffer.from(HEAD, "utf16le")]));
    const loaded = await loadManifest({ cwd, env: {} }, []);
    expect(loaded.diagnostics.map((d) => [d.code, d.loc])).toEqual([["manifest.encoding", { file: "appstream.yaml", line: 1, col: 1 }]]);
  });
});
