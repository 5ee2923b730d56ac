/**
 * `appstreamctl export [--kinds Fleet,Stack] [--name REGEX] [--set NAME] [--adopt] > appstream.yaml`:
 * reads the Region and prints a v1 manifest that plans to no changes. Notes (passwords that cannot be
 * read, resources that still lack the ownership tag) go to stderr. `--adopt` is the one mutating
 * option: it tags the exported resources with `appstreamctl:set`.
 */
import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "../../aws/client.js";
import { AppError } from "../../core/errors.js";
import { runExport } from "../../engine/export-run.js";
import type { KindName } from "../../kinds/contract.js";
import { LISTED_KINDS } from "../../kinds/index.js";
import { DEFAULT_READ_CONCURRENCY, type Handler } from "../io.js";
import { EXIT } from "../exit.js";

export interface ExportOptions {
  kinds?: string;
  name?: string;
  set?: string;
  adopt?: boolean;
  readConcurrency?: number;
}

function parseKinds(list: string | undefined): ReadonlySet<KindName> | undefined {
  if (list === undefined) return undefined;
  const known = LISTED_KINDS.map((k) => k.kind);
  const kinds = list.split(",").map((k) => k.trim()).filter(Boolean);
  const bad = kinds.filter((k) => !(known as string[]).includes(k));
  if (bad.length || !kinds.length) throw new AppError("cli.usage", `--kinds takes a comma-separated list of ${known.join(", ")}${bad.length ? `; not ${bad.join(", ")}` : ""}`);
  return new Set(kinds as KindName[]);
}

function parseName(re: string | undefined): RegExp | undefined {
  if (re === undefined) return undefined;
  try {
    return new RegExp(re, "u");
  } catch (err) {
    throw new AppError("cli.usage", `--name is not a valid regular expression: ${(err as Error).message}`);
  }
}

/** The schema shipped with this package, relative to the working directory (where `> file` lands). */
function schemaPath(cwd: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  const rel = relative(cwd, resolve(dir, "schema/appstream.schema.json")).split("\\").join("/");
  return rel.startsWith(".") || rel.startsWith("/") ? rel : `./${rel}`;
}

export const exportCommand: Handler<ExportOptions> = async ({ io, globals }, opts) => {
  const kinds = parseKinds(opts.kinds);
  const name = parseName(opts.name);
  const conn = await connect(io, { globals });
  try {
    const result = await runExport({
      api: conn.api, region: conn.region, concurrency: opts.readConcurrency ?? DEFAULT_READ_CONCURRENCY, adopt: opts.adopt === true, schema: schemaPath(io.cwd),
      ...(opts.set ? { set: opts.set } : {}), ...(kinds ? { kinds } : {}), ...(name ? { name } : {}), note: (m: string) => io.stderr.write(`note: ${m}\n`),
    });
    io.stdout.write(result.text);
    io.stderr.write(`exported ${result.resources.length} resource(s) from ${conn.region} as set ${result.set}\n`);
    for (const note of result.notes) io.stderr.write(`note: ${note}\n`);
    if (result.adopted.length) {
      io.stderr.write(`--adopt: tagged ${result.adopted.length} resource(s) with appstreamctl:set=${result.set} (TagResource)\n`);
    } else if (result.untagged.length) {
      io.stderr.write(`note: ${result.untagged.length} resource(s) lack appstreamctl:set=${result.set}: the first plan adds it (tags only); export --adopt tags them now\n`);
    }
    return EXIT.ok;
  } finally {
    await conn.close();
  }
};
