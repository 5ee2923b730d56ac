/**
 * `appstreamctl init` — writes a starter manifest whose modeline points editors at the schema that ships
 * with this package (a path relative to the new file, so it works from a checkout and from node_modules).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AppError } from "../../core/errors.js";
import type { Handler } from "../program.js";

/** The package root: the nearest folder above this module with a package.json (from src/ or dist/src/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function starterManifest(schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}
apiVersion: appstreamctl/v1
metadata:
  name: my-estate            # every resource gets the tag appstreamctl:set=my-estate
  region: us-east-1
defaults:
  tags: { team: euc }
fleets:
  - name: general
    instanceType: stream.standard.medium
    fleetType: ON_DEMAND
    imageName: AppStream-WinServer2022-11-12-2025
    computeCapacity: { desiredInstances: 1 }
    maxUserDurationInSeconds: 57600
    disconnectTimeoutInSeconds: 900
    state: running
stacks:
  - name: general
    fleet: general
    userSettings: { CLIPBOARD_COPY_FROM_LOCAL_DEVICE: ENABLED, FILE_DOWNLOAD: DISABLED }
    storageConnectors: [{ connectorType: HOMEFOLDERS }]
users:
  - userName: first.user@example.com
    firstName: First
    lastName: User
    stacks: [general]
`;
}

export const initCommand: Handler<{ force?: boolean }> = async ({ io, globals }, opts) => {
  const target = resolve(io.cwd, globals.file[0] ?? "appstream.yaml");
  if (existsSync(target) && !opts.force) {
    throw new AppError("cli.usage", `${relative(io.cwd, target) || target} exists; use --force to overwrite it`);
  }
  let schemaPath = relative(dirname(target), resolve(packageRoot(), "schema/appstream.schema.json")).split("\\").join("/");
  if (!schemaPath.startsWith(".")) schemaPath = `./${schemaPath}`;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, starterManifest(schemaPath));
  io.stdout.write(`wrote ${relative(io.cwd, target) || target}\n`);
  return 0;
};
