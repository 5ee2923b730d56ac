/**
 * `appstreamctl init` — writes a starter manifest, the JSON Schema of this version beside it, and a
 * `.gitignore` entry for `.appstreamctl/` (local emulator state). The modeline names the schema by a path
 * relative to the manifest, inside the project: a teammate's checkout has the same file, whereas a path into
 * this machine's node_modules or global install would not exist there. `appstreamctl schema >
 * appstream.schema.json` refreshes it after an upgrade.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { AppError } from "../../core/errors.js";
import { manifestSchema } from "../../kinds/index.js";
import type { Handler } from "../io.js";

/** The schema file `init` writes beside the manifest. */
export const SCHEMA_FILE = "appstream.schema.json";
/** Local state of `--local`: never committed. */
const IGNORED = ".appstreamctl/";

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
  const shown = (file: string) => relative(io.cwd, file) || file;
  if (existsSync(target) && !opts.force) {
    throw new AppError("cli.usage", `${shown(target)} exists; use --force to overwrite it`);
  }
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  const schemaFile = join(dir, SCHEMA_FILE);
  writeFileSync(schemaFile, `${JSON.stringify(manifestSchema(), null, 2)}\n`);
  writeFileSync(target, starterManifest(`./${basename(schemaFile)}`));
  const ignore = join(io.cwd, ".gitignore");
  const current = existsSync(ignore) ? readFileSync(ignore, "utf8") : "";
  const wrote = [shown(target), shown(schemaFile)];
  if (!current.split(/\r?\n/).some((l) => l.trim() === IGNORED || l.trim() === ".appstreamctl")) {
    writeFileSync(ignore, `${current}${current === "" || current.endsWith("\n") ? "" : "\n"}${IGNORED}\n`);
    wrote.push(".gitignore");
  }
  io.stdout.write(`wrote ${wrote.join(", ")}\n`);
  return 0;
};
