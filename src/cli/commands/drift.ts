/**
 * `appstreamctl drift`: changed / missing / unmanaged resources, as text, JSON, YAML or markdown; exit 0
 * when live state matches, 2 when it drifted, 1 on error. `--summary-file` also writes the markdown
 * (for $GITHUB_STEP_SUMMARY); `--write` copies live values of changed fields into the manifest.
 * Only read operations reach AWS.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { hasDrift } from "../../core/drift.js";
import { runDrift } from "../../engine/drift-run.js";
import { ignoreFilePath, isIgnored, loadIgnore } from "../../manifest/ignore.js";
import { writeBackFiles } from "../../manifest/write-back.js";
import { DEFAULT_READ_CONCURRENCY, type Handler } from "../io.js";
import { EXIT } from "../exit.js";
import { jsonToYaml, requireFormat } from "../render/output.js";
import { renderDriftJson } from "../render/drift-json.js";
import { renderDriftMarkdown } from "../render/drift-markdown.js";
import { renderDriftText } from "../render/drift-text.js";
import { loadOrReport, secretValues, withConnection } from "./common.js";

export interface DriftOptions {
  summaryFile?: string;
  write?: boolean;
  readConcurrency?: number;
}

export const driftCommand: Handler<DriftOptions> = async (env, opts) => {
  const { io, globals } = env;
  const format = requireFormat("drift", globals.output, ["text", "json", "yaml", "markdown"]);
  const loaded = await loadOrReport(env);
  if (!loaded) return EXIT.error;
  const secrets = secretValues(loaded);
  const ignorePath = ignoreFilePath(io.cwd, loaded.files[0] === undefined ? undefined : resolve(io.cwd, loaded.files[0]));
  const ignore = await loadIgnore(ignorePath);
  for (const p of ignore.problems) io.stderr.write(`warning: ${ignorePath}:${p.line}: ${p.message} (line skipped)\n`);
  if (ignore.found && globals.verbose > 0) io.stderr.write(`using ${ignore.rules.length} ignore rule(s) from ${ignorePath}\n`);
  return withConnection(env, loaded, async (conn) => {
    const { report } = await runDrift({
      api: conn.api, region: conn.region, ...(conn.endpoint ? { endpoint: conn.endpoint } : {}),
      manifest: loaded.manifest, concurrency: opts.readConcurrency ?? DEFAULT_READ_CONCURRENCY, now: new Date(),
      ignored: (address, field) => isIgnored(ignore.rules, address, field), note: (m: string) => io.stderr.write(`note: ${m}\n`),
    });
    const out = format === "json"
      ? renderDriftJson(report, { secrets })
      : format === "yaml"
        ? jsonToYaml(renderDriftJson(report, { secrets }))
      : format === "markdown"
        ? renderDriftMarkdown(report, { secrets })
        : renderDriftText(report, { secrets });
    io.stdout.write(out);
    if (opts.summaryFile) {
      writeFileSync(resolve(io.cwd, opts.summaryFile), renderDriftMarkdown(report, { secrets }), { flag: "a" });
    }
    if (opts.write) {
      const result = await writeBackFiles(io.cwd, report, loaded);
      for (const w of result.written) io.stderr.write(`wrote ${w.address} ${w.path} to ${w.file}\n`);
      for (const s of result.skipped) io.stderr.write(`not written: ${s.address}${s.path ? ` ${s.path}` : ""}: ${s.reason}\n`);
    }
    return hasDrift(report) ? EXIT.changes : EXIT.ok;
  });
};
