/**
 * appstreamctl's own version, read from its package.json. `npm_package_version` cannot be used: under
 * `npx` or an npm script of another project it is that project's version.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Walks up from this module (src/cli or dist/src/cli) to the package root that names appstreamctl. */
export function ownVersion(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "appstreamctl" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no package.json here, or not JSON: keep walking up
    }
    if (dirname(dir) === dir) return "unknown";
  }
}
