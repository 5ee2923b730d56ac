/** Every example manifest validates clean; they double as end-to-end fixtures later. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest } from "../../src/manifest/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const EXAMPLES = readdirSync(path.join(ROOT, "examples")).filter((f) => f.endsWith(".yaml")).sort();
const ENV = { APPSTREAM_AD_PASSWORD: "Example-Passw0rd" };
const PUBLIC_IMAGES = ["AppStream-WinServer2022-11-12-2025", "AppStream-WinServer2019-11-12-2025", "AppStream-AmazonLinux2-11-12-2025"];

describe("examples", () => {
  it("include the four required manifests, whose modeline points at the committed schema", () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(["appstream.yaml", "minimal.yaml", "elastic.yaml", "multi-session.yaml"]));
    expect(existsSync(path.join(ROOT, "examples", "../schema/appstream.schema.json"))).toBe(true);
  });

  it.each(EXAMPLES)("%s validates with no diagnostic at all", async (file) => {
    const loaded = await loadManifest({ cwd: ROOT, env: ENV }, [`examples/${file}`]);
    expect(loaded.diagnostics).toEqual([]);
    expect(readFileSync(path.join(ROOT, "examples", file), "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../schema/appstream.schema.json");
  });

  it.each(EXAMPLES)("%s names only seeded public base images", async (file) => {
    const { manifest } = await loadManifest({ cwd: ROOT, env: ENV }, [`examples/${file}`]);
    for (const entry of [...manifest.fleets, ...manifest.imageBuilders]) {
      if (entry.imageName !== undefined) expect(PUBLIC_IMAGES).toContain(entry.imageName);
    }
  });

  it("appstream.yaml is the realistic estate the README promises", async () => {
    const { manifest, sensitive, fromEnv } = await loadManifest({ cwd: ROOT, env: ENV }, ["examples/appstream.yaml"]);
    expect(manifest.directoryConfigs).toHaveLength(1);
    expect(new Set(manifest.fleets.map((f) => f.fleetType)).size).toBe(2);
    expect(manifest.stacks).toHaveLength(3);
    expect(manifest.imageBuilders).toHaveLength(1);
    expect(manifest.images[0]?.sharedWith).toBeDefined();
    expect(manifest.users.length).toBeGreaterThanOrEqual(12);
    const pw = "/directoryConfigs/0/serviceAccountCredentials/accountPassword";
    expect(sensitive.has(pw)).toBe(true);
    expect(fromEnv.has(pw)).toBe(true);
    expect(manifest.directoryConfigs[0]?.serviceAccountCredentials?.accountPassword).toBe(ENV.APPSTREAM_AD_PASSWORD);
  });

  it("appstream.yaml without APPSTREAM_AD_PASSWORD notes the variable at the reference (only apply needs it)", async () => {
    const { diagnostics } = await loadManifest({ cwd: ROOT, env: {} }, ["examples/appstream.yaml"]);
    expect(diagnostics.map((d) => [d.code, d.severity, d.loc?.line])).toEqual([["manifest.env-secret-unset", "note", 21]]);
    expect(diagnostics[0]?.message).toContain("APPSTREAM_AD_PASSWORD");
  });

  it("all examples together are one valid manifest only if names do not clash — they do, and it says where", async () => {
    const loaded = await loadManifest({ cwd: ROOT, env: ENV }, ["examples"]);
    const codes = new Set(loaded.diagnostics.map((d) => d.code));
    // metadata.name differs between the examples, and both appstream.yaml and minimal.yaml are merged.
    expect(codes.has("manifest.metadata-conflict")).toBe(true);
    expect(loaded.files).toEqual(EXAMPLES.map((f) => `examples/${f}`));
  });
});
