/** Loading: files and directories, positions, merging, interpolation and secrets. */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeManifest, defaultChecks, loadManifest, locate } from "../../src/manifest/index.js";
import { interpolate, tokenize } from "../../src/manifest/env.js";
import type { JsonValue } from "../../src/manifest/types.js";
import { closest, editDistance } from "../../src/manifest/suggest.js";

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "appstreamctl-manifest-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const HEAD = "apiVersion: appstreamctl/v1\nmetadata:\n  name: t\n";
const analyze = (text: string, env: Record<string, string> = {}) => analyzeManifest([{ file: "m.yaml", text }], env, defaultChecks());
/** Several files, merged in the order given (file name → text). */
const analyzeFiles = (files: Record<string, string>) =>
  analyzeManifest(Object.entries(files).map(([file, text]) => ({ file, text })), {}, defaultChecks());
const codes = (text: string, env: Record<string, string> = {}) => analyze(text, env).diagnostics.map((d) => d.code);

describe("files", () => {
  it("reads ./appstream.yaml from io.cwd when no -f is given", async () => {
    const cwd = tree({ "appstream.yaml": HEAD + "stacks:\n  - name: s\n" });
    const loaded = await loadManifest({ cwd, env: {} }, []);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.files).toEqual(["appstream.yaml"]);
    expect(loaded.manifest.stacks.map((s) => s.name)).toEqual(["s"]);
  });

  it("reports a missing default manifest with a hint, and nothing else", async () => {
    const loaded = await loadManifest({ cwd: tree({}), env: {} }, []);
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(["manifest.file-not-found"]);
    expect(loaded.diagnostics[0]?.hint).toContain("init");
  });

  it("reads a directory's *.yaml and *.yml in sorted order, ignoring other files, and merges them", async () => {
    const cwd = tree({
      "conf/b-users.yml": "users:\n  - userName: b@example.com\n    stacks: [s]\n",
      "conf/a.yaml": HEAD + "stacks:\n  - name: s\nusers:\n  - userName: a@example.com\n",
      "conf/notes.txt": "not yaml: [",
    });
    const loaded = await loadManifest({ cwd, env: {} }, ["conf"]);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.files).toEqual(["conf/a.yaml", "conf/b-users.yml"]);
    expect(loaded.manifest.users.map((u) => u.userName)).toEqual(["a@example.com", "b@example.com"]);
    // Each entry keeps its file: the second user comes from the roster file, line 2.
    expect(loaded.sources.values.get("/users/1/userName")).toEqual({ file: "conf/b-users.yml", line: 2, col: 15 });
    expect(loaded.sources.values.get("/users/1/stacks/0")).toEqual({ file: "conf/b-users.yml", line: 3, col: 14 });
  });

  it("reports a manifest of comments only at the start of the file", () => {
    const loaded = analyze("# nothing here yet\n");
    expect(loaded.diagnostics.map((d) => [d.code, d.loc?.line, d.loc?.col])).toEqual([["manifest.api-version", 1, 1], ["schema.required", 1, 1]]);
  });

  it("merges the documents of a multi-document file like separate files", () => {
    const loaded = analyze(HEAD + "stacks:\n  - name: s\n---\nstacks:\n  - name: t\n---\n# empty document\n");
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.manifest.stacks.map((s) => s.name)).toEqual(["s", "t"]);
    expect(loaded.sources.values.get("/stacks/1/name")).toEqual({ file: "m.yaml", line: 8, col: 11 });
  });

  it("reads a file named twice only once", async () => {
    const cwd = tree({ "d/a.yaml": HEAD + "stacks:\n  - name: s\n" });
    const loaded = await loadManifest({ cwd, env: {} }, ["d", "d/a.yaml"]);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.manifest.stacks).toHaveLength(1);
  });

  it("reports each missing -f path and an empty directory", async () => {
    const cwd = tree({ "empty/readme.md": "" });
    const loaded = await loadManifest({ cwd, env: {} }, ["nope.yaml", "empty"]);
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(["manifest.file-not-found", "manifest.file-not-found"]);
    expect(loaded.diagnostics[0]?.message).toContain("nope.yaml");
  });
});

describe("positions", () => {
  it("maps values and keys of every pointer to 1-based line and column", () => {
    const { sources } = analyze(HEAD + "fleets:\n  - name: f\n    computeCapacity: { desiredInstances: 2 }\n");
    expect(sources.values.get("/fleets/0/name")).toEqual({ file: "m.yaml", line: 5, col: 11 });
    expect(sources.keys.get("/fleets/0/computeCapacity")).toEqual({ file: "m.yaml", line: 6, col: 5 });
    expect(sources.values.get("/fleets/0/computeCapacity/desiredInstances")).toEqual({ file: "m.yaml", line: 6, col: 42 });
    // A pointer that was never written falls back to the nearest written ancestor.
    expect(locate(sources, "/fleets/0/vpcConfig/subnetIds")).toEqual({ file: "m.yaml", line: 5, col: 5 });
  });

  it("reports an empty value at its key", () => {
    const loaded = analyze(HEAD + "stacks:\n  - name: s\n    description:\n");
    expect(loaded.diagnostics.map((d) => [d.code, d.loc?.line, d.loc?.col])).toEqual([["schema.type", 6, 5]]);
  });

  it("follows aliases to their anchor's value", () => {
    const loaded = analyze(HEAD + "anchors: &vpc { subnetIds: [subnet-a] }\nfleets: []\n");
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(["schema.unknown-field"]);
    const ok = analyze(HEAD + "defaults:\n  tags: &t { team: euc }\nstacks:\n  - name: s\n    tags: *t\n");
    expect(ok.diagnostics).toEqual([]);
    expect(ok.manifest.stacks[0]?.tags).toEqual({ team: "euc" });
  });

  it("sorts diagnostics by file order, line and column", () => {
    const loaded = analyzeFiles({
      "b.yaml": HEAD + "stacks:\n  - name: s\n    fleet: nope\n    bogus: 1\n",
      "a.yaml": "users:\n  - userName: x@example.com\n    stacks: [missing]\n",
    });
    expect(loaded.diagnostics.map((d) => `${d.loc?.file}:${d.loc?.line}`)).toEqual(["b.yaml:6", "b.yaml:7", "a.yaml:3"]);
  });
});

describe("merging", () => {
  it("concatenates lists and merges defaults.tags and external across files", () => {
    const loaded = analyzeFiles({
      "a.yaml": HEAD + "defaults:\n  tags: { team: euc }\nexternal:\n  fleets: [shared]\n",
      "b.yaml": "defaults:\n  tags: { owner: ops }\nexternal:\n  fleets: [legacy]\nstacks:\n  - name: s\n    fleet: legacy\n",
    });
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.manifest.defaults?.tags).toEqual({ team: "euc", owner: "ops" });
    expect(loaded.manifest.external?.fleets).toEqual(["shared", "legacy"]);
  });

  it("accepts the same metadata in several files and rejects a different one at the later file", () => {
    const same = analyzeFiles({ "a.yaml": HEAD, "b.yaml": HEAD });
    expect(same.diagnostics).toEqual([]);
    const clash = analyzeFiles({ "a.yaml": HEAD, "b.yaml": "metadata:\n  name: other\n" });
    expect(clash.diagnostics.map((d) => [d.code, d.loc?.file, d.loc?.line, d.loc?.col])).toEqual([["manifest.metadata-conflict", "b.yaml", 2, 9]]);
    expect(clash.diagnostics[0]?.message).toContain("a.yaml:3:9");
  });

  it("names the first occurrence when a resource is declared twice", () => {
    const loaded = analyze(HEAD + "stacks:\n  - name: s\n  - name: s\n");
    expect(loaded.diagnostics[0]?.message).toContain("m.yaml:5:11");
  });

  it("takes top-level x- blocks as anchor holders: entries share them, each file has its own, nothing keeps them", () => {
    const loaded = analyzeFiles({
      "a.yaml": HEAD + "x-url: &url https://example.com/a\nstacks:\n  - { name: a, feedbackURL: *url }\n",
      "b.yaml": "x-url: &url https://example.com/b\nstacks:\n  - { name: b, feedbackURL: *url }\n",
    });
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.manifest.stacks.map((s) => [s.name, s.feedbackURL])).toEqual([["a", "https://example.com/a"], ["b", "https://example.com/b"]]);
    expect(Object.keys(loaded.manifest)).not.toContain("x-url");
  });

  it("still rejects other unknown top-level keys", () => {
    expect(codes(HEAD + "extras: {}\n")).toEqual(["schema.unknown-field"]);
  });
});

describe("interpolation", () => {
  it("splits strings into text, references, escapes and malformed references", () => {
    expect(tokenize("a${env:X}b")).toEqual([{ kind: "text", text: "a" }, { kind: "env", name: "X", raw: "${env:X}" }, { kind: "text", text: "b" }]);
    expect(tokenize("$${env:X}")).toEqual([{ kind: "text", text: "${env:X}" }]);
    expect(tokenize("cost $5")).toEqual([{ kind: "text", text: "cost $5" }]);
    expect(tokenize("${ENV:X}").map((p) => p.kind)).toEqual(["bad"]);
    expect(tokenize("${env:A-B}").map((p) => p.kind)).toEqual(["bad"]);
  });

  it("substitutes variables in any string value and records which pointers came from the environment", () => {
    const r = interpolate({ a: ["x-${env:A}-${env:B}", "plain"], n: 3 }, { A: "1", B: "2" }, new Map(), new Map());
    expect(r.value).toEqual({ a: ["x-1-2", "plain"], n: 3 });
    expect([...r.fromEnv]).toEqual(["/a/0"]);
    expect(r.diagnostics).toEqual([]);
  });

  it("copies only what it changes, and keeps a `__proto__` key a plain key in the copy", () => {
    const root = JSON.parse('{"__proto__": {"p": "${env:A}"}, "same": {"k": "v"}}') as JsonValue;
    const r = interpolate(root, { A: "1" }, new Map(), new Map());
    const out = r.value as Record<string, JsonValue>;
    expect(Object.keys(out)).toEqual(["__proto__", "same"]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out["__proto__"]).toEqual({ p: "1" });
    expect(out.same).toBe((root as Record<string, JsonValue>).same);
    expect([...r.fromEnv]).toEqual(["/__proto__/p"]);
  });

  it("reports every missing variable by name and leaves schema checks of that value alone", () => {
    const loaded = analyze(HEAD + "stacks:\n  - name: ${env:STACK}\n    description: ${env:DESC} ${env:DESC2}\n", { DESC: "d" });
    expect(loaded.diagnostics.map((d) => [d.code, d.loc?.line, d.loc?.col, d.message.includes("STACK") || d.message.includes("DESC2")])).toEqual([
      ["manifest.env-missing", 5, 11, true],
      ["manifest.env-missing", 6, 30, true],
    ]);
  });

  it("keeps `$${` as a literal `${`", () => {
    const loaded = analyze(HEAD + "stacks:\n  - name: s\n    description: literal $${env:NOT_READ}\n");
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.manifest.stacks[0]?.description).toBe("literal ${env:NOT_READ}");
  });
});

describe("secrets", () => {
  const DIRECTORY = (password: string): string =>
    HEAD + `directoryConfigs:\n  - directoryName: corp.example.com\n    organizationalUnitDistinguishedNames: [OU=A]\n    serviceAccountCredentials:\n      accountName: CORP\\svc\n      accountPassword: ${password}\n`;
  const PW = "/directoryConfigs/0/serviceAccountCredentials/accountPassword";

  it("marks the directory password sensitive and takes it from the environment without a warning", () => {
    const loaded = analyze(DIRECTORY("${env:AD_PW}"), { AD_PW: "Sup3r-Secret" });
    expect(loaded.diagnostics).toEqual([]);
    expect([...loaded.sensitive]).toEqual([PW]);
    expect(loaded.displayText.get("m.yaml")).toContain("${env:AD_PW}");
  });

  it("shows a password written as a reference as written, its variable unset or not", () => {
    const text = DIRECTORY('"${env:AD_PW}"');
    for (const env of [{}, { AD_PW: "Sup3r-Secret" }] as Record<string, string>[]) {
      const loaded = analyze(text, env);
      expect(loaded.displayText.get("m.yaml")).toBe(text);
      expect(JSON.stringify(loaded.diagnostics)).not.toContain("Sup3r-Secret");
    }
    // A literal beside the reference is still masked, the reference kept readable.
    const mixed = analyze(DIRECTORY('"${env:AD_PW}-Winter2025!"'), { AD_PW: "x" });
    expect(mixed.displayText.get("m.yaml")).toContain('accountPassword: *${env:AD_PW}*************\n');
  });

  it("warns about a literal password and masks it in the text shown under diagnostics", () => {
    const loaded = analyze(DIRECTORY("Winter2025!"));
    expect(loaded.diagnostics.map((d) => [d.code, d.severity, d.loc?.line, d.loc?.col])).toEqual([["secret.literal", "warning", 9, 24]]);
    expect(loaded.displayText.get("m.yaml")).not.toContain("Winter2025!");
    expect(loaded.displayText.get("m.yaml")).toContain("accountPassword: ***********\n");
    expect(JSON.stringify(loaded.diagnostics)).not.toContain("Winter2025!");
  });

  it("never echoes a secret in a schema message", () => {
    const loaded = analyze(DIRECTORY("${env:AD_PW}"), { AD_PW: "x".repeat(200) });
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(["schema.length"]);
    expect(JSON.stringify(loaded.diagnostics)).not.toContain("x".repeat(20));
  });
});

describe("schema diagnostics", () => {
  it("suggests the nearest field name and does not also report the field the typo left missing", () => {
    const loaded = analyze(HEAD + "fleets:\n  - name: f\n    InstanceType: stream.standard.small\n    imageName: AppStream-AmazonLinux2-11-12-2025\n    computeCapacity: { desiredInstances: 1 }\n");
    expect(loaded.diagnostics.map((d) => [d.code, d.hint])).toEqual([["schema.unknown-field", "did you mean `instanceType`?"]]);
  });

  it("lists allowed values for an enum and the bounds for a range", () => {
    const loaded = analyze(HEAD + "fleets:\n  - name: f\n    instanceType: stream.standard.small\n    imageName: AppStream-AmazonLinux2-11-12-2025\n    computeCapacity: { desiredInstances: 1 }\n    fleetType: always_on\n    maxUserDurationInSeconds: 60\n");
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(["schema.enum", "schema.range"]);
    expect(loaded.diagnostics[0]?.message).toContain("ALWAYS_ON, ON_DEMAND, ELASTIC");
    expect(loaded.diagnostics[1]?.message).toContain("between 600 and 432000");
  });

  it("collects every problem across kinds instead of stopping at the first", () => {
    const c = codes(HEAD + "fleets:\n  - name: f\n    instanceType: stream.standard.small\n    fleetType: NOPE\nstacks:\n  - name: s\n    fleet: g\nusers:\n  - userName: u@example.com\n    stacks: [t]\n");
    expect(c).toEqual(["schema.enum", "ref.unknown-fleet", "ref.unknown-stack"]);
  });

  it("still checks the references of an entry that misses another field", () => {
    expect(codes(HEAD + "stacks:\n  - displayName: S\n    fleet: nope\n")).toEqual(["schema.required", "ref.unknown-fleet"]);
    expect(codes(HEAD + "users:\n  - userName: u@example.com\n    stacks: nope\n")).toEqual(["schema.type"]);
  });

  it("does not take a mistyped external list as names", () => {
    expect(codes(HEAD + "external:\n  fleets: fx\nstacks:\n  - name: s\n    fleet: f\n")).toEqual(["schema.type", "ref.unknown-fleet"]);
  });

  it("skips a kind's rules on an entry the schema rejected, but still checks other entries", () => {
    const c = codes(HEAD + "fleets:\n  - name: f\n    instanceType: 5\n  - name: g\n    instanceType: stream.standard.small\n    computeCapacity: { desiredInstances: 1 }\n");
    expect(c).toEqual(["schema.type", "rule.image-source"]);
  });

  it("accepts idleDisconnectTimeoutInSeconds 0 and 60, and external names for references", () => {
    const base = HEAD + "external:\n  fleets: [legacy]\n  directoryConfigs: [corp.example.com]\nfleets:\n  - name: f\n    instanceType: stream.standard.small\n    imageName: AppStream-AmazonLinux2-11-12-2025\n    computeCapacity: { desiredInstances: 1 }\n    domainJoinInfo: { directoryName: corp.example.com }\n";
    expect(codes(base + "    idleDisconnectTimeoutInSeconds: 0\nstacks:\n  - name: s\n    fleet: legacy\n")).toEqual([]);
    expect(codes(base + "    idleDisconnectTimeoutInSeconds: 60\n")).toEqual([]);
  });
});

describe("did you mean", () => {
  it("measures edits with transpositions, ignoring case", () => {
    expect(editDistance("instanceTyep", "instanceType")).toBe(1);
    expect(editDistance("FLEETS", "fleets")).toBe(0);
    expect(editDistance("abc", "")).toBe(3);
  });

  it("suggests only plausible typos", () => {
    expect(closest("desiredInstance", ["desiredInstances", "desiredSessions"])).toBe("desiredInstances");
    expect(closest("zzz", ["fleets", "stacks"])).toBeUndefined();
  });
});
