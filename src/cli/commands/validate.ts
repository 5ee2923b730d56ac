/**
 * `appstreamctl validate`: offline, zero AWS calls. Loads the manifest (schema, references, cross-field
 * rules) and reports every problem; exit 1 when any is an error, 0 otherwise (warnings allowed).
 * Text mode: diagnostics on stderr and a one-line summary on stdout; `-o json`, `-o yaml` and `-o markdown`:
 * the diagnostics document on stdout.
 */
import { assertNever, hasErrors } from "../../core/errors.js";
import { keyNoun, loadManifest, RESOURCE_KEYS, type LoadedManifest } from "../../manifest/index.js";
import { EXIT } from "../exit.js";
import type { Handler } from "../io.js";
import { jsonToYaml, requireFormat } from "../render/output.js";
import { renderDiagnosticsJson, renderDiagnosticsMarkdown, renderDiagnosticsText } from "../render/diagnostics.js";

/** "valid: examples/appstream.yaml (1 directory config, 2 fleets, …)" — counts of the kinds present. */
export function validSummary(loaded: LoadedManifest): string {
  const counts = RESOURCE_KEYS.map((key) => [key, loaded.manifest[key].length] as const)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => `${n} ${keyNoun(key, n)}`);
  return `valid: ${loaded.files.join(", ")} (${counts.length ? counts.join(", ") : "no resources"})`;
}

/** Runs `validate`: loads and checks the manifest, prints the result, returns the exit code. */
export const validateCommand: Handler = async ({ io, globals }) => {
  const loaded = await loadManifest(io, globals.file);
  const failed = hasErrors(loaded.diagnostics);
  const format = requireFormat("validate", globals.output, ["text", "json", "yaml", "markdown"]);
  switch (format) {
    case "json":
      io.stdout.write(renderDiagnosticsJson(loaded.diagnostics));
      break;
    case "yaml":
      io.stdout.write(jsonToYaml(renderDiagnosticsJson(loaded.diagnostics)));
      break;
    case "markdown":
      io.stdout.write(renderDiagnosticsMarkdown(loaded.diagnostics, failed ? "" : validSummary(loaded)));
      break;
    case "text":
      // displayText costs the positional parse of every file: only a report with diagnostics needs it.
      if (loaded.diagnostics.length) io.stderr.write(renderDiagnosticsText(loaded.diagnostics, loaded.displayText));
      if (!failed) io.stdout.write(validSummary(loaded) + "\n");
      break;
    default:
      assertNever(format, "output format");
  }
  return failed ? EXIT.error : EXIT.ok;
};
