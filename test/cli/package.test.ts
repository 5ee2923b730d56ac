import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const own = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

/**
 * The package as a user gets it: `npm pack` of the built tree, installed into an empty project from the
 * tarball (dependencies from npm's cache where it has them), run through `npx`. dist/ is built by `npm
 * test` before vitest runs, so the pack skips its own prepack build.
 */
describe("the published package", () => {
  it("packs without bench, scripts or source maps, installs into an empty project and plans with --local", () => {
    const work = mkdtempSync(join(tmpdir(), "asctl-pack-"));
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8" }),
    ) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining([
      "LICENSE", "CHANGELOG.md", "README.md", "package.json", "bin/appstreamctl.js", "dist/src/cli/main.js",
      "dist/src/manifest/schema-validator.gen.cjs", "schema/appstream.schema.json",
    ]));
    expect(files.filter((f) => f.endsWith(".map") || f.startsWith("dist/bench") || f.startsWith("dist/scripts") || f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);

    const project = join(work, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "estate", version: "3.2.1", private: true }));
    const install = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, packed[0]!.filename)], {
      cwd: project, encoding: "utf8",
    });
    expect(install.stderr).not.toMatch(/npm (ERR|error)/);
    expect(install.status).toBe(0);

    // Under an npm script of the host project npm_package_version is the host's (3.2.1): not ours.
    const env = { ...process.env, npm_package_version: "3.2.1", NO_COLOR: "1" };
    const version = spawnSync("npx", ["--no-install", "appstreamctl", "--version"], { cwd: project, encoding: "utf8", env });
    expect(version.stdout.trim()).toBe(own.version);

    writeFileSync(join(project, "appstream.yaml"), [
      "apiVersion: appstreamctl/v1",
      "metadata: { name: packed, region: eu-west-1 }",
      "stacks:",
      "  - name: packed-stack",
      "",
    ].join("\n"));
    const plan = spawnSync("npx", ["--no-install", "appstreamctl", "--local", "plan"], { cwd: project, encoding: "utf8", env });
    expect(plan.stderr).toBe("");
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain("+ Stack/packed-stack");
    expect(plan.stdout.trimEnd().split("\n").at(-1)).toBe("Plan: 1 to add, 0 to change, 0 to destroy.");
  }, 240_000);
});
