/**
 * Diagnostics for people and for machines. Text: `file:line:col: error [code] message`, the source line
 * with a caret under the column, the hint, and a closing count; colour comes from kleur, whose switch is
 * set once per run (src/cli/io.ts). JSON: `{ valid, diagnostics: [...] }` with a fixed shape. Markdown:
 * a verdict and a table, for CI summaries.
 */
import kleur from "kleur";
import type { Diagnostic, Severity } from "../../core/errors.js";
import { assertNever } from "../../core/errors.js";

/** One diagnostic in the `-o json` document; absent facts are `null` so the shape never varies. */
export interface DiagnosticJson {
  code: string;
  severity: Severity;
  message: string;
  file: string | null;
  line: number | null;
  col: number | null;
  pointer: string | null;
  hint: string | null;
}

function paint(severity: Severity, text: string): string {
  switch (severity) {
    case "error":
      return kleur.red(text);
    case "warning":
      return kleur.yellow(text);
    case "note":
      return kleur.cyan(text);
    default:
      return assertNever(severity, "severity");
  }
}

/** The source line and a caret under `col`; tabs before the column are kept so the caret lines up. */
function excerpt(d: Diagnostic, texts: ReadonlyMap<string, string>): string[] {
  if (!d.loc) return [];
  const text = texts.get(d.loc.file);
  if (text === undefined) return [];
  const line = text.split(/\r?\n/)[d.loc.line - 1];
  if (line === undefined) return [];
  const number = String(d.loc.line);
  const gutter = " ".repeat(number.length);
  const pad = line.slice(0, Math.max(0, d.loc.col - 1)).replace(/[^\t]/g, " ");
  return [
    `  ${kleur.dim(number + " |")} ${line}`,
    `  ${kleur.dim(gutter + " |")} ${pad}${paint(d.severity, "^")}`,
  ];
}

/** Renders one diagnostic as lines of text (no trailing newline). */
export function renderDiagnostic(d: Diagnostic, texts: ReadonlyMap<string, string> = new Map()): string {
  const where = d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}: ` : "";
  const head = `${where}${paint(d.severity, d.severity)} ${kleur.dim(`[${d.code}]`)} ${d.message}`;
  const lines = [head, ...excerpt(d, texts)];
  if (d.hint) lines.push(`  ${kleur.cyan("hint:")} ${d.hint}`);
  return lines.join("\n");
}

/** "2 errors, 1 warning", uncoloured. */
function counts(diags: readonly Diagnostic[]): { errors: number; warnings: number; text: string } {
  const errors = diags.filter((d) => d.severity === "error").length;
  const notes = diags.filter((d) => d.severity === "note").length;
  const warnings = diags.length - errors - notes;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  return { errors, warnings, text: `${plural(errors, "error")}, ${plural(warnings, "warning")}${notes ? `, ${plural(notes, "note")}` : ""}` };
}

/** "2 errors, 1 warning" — the closing line of text output. */
export function countLine(diags: readonly Diagnostic[]): string {
  const { errors, warnings, text } = counts(diags);
  return errors > 0 ? paint("error", text) : warnings > 0 ? paint("warning", text) : text;
}

/** Every diagnostic, each followed by a blank line, then the count line. */
export function renderDiagnosticsText(diags: readonly Diagnostic[], texts: ReadonlyMap<string, string> = new Map()): string {
  if (diags.length === 0) return "";
  return diags.map((d) => renderDiagnostic(d, texts) + "\n\n").join("") + countLine(diags) + "\n";
}

/** The machine-readable form of one diagnostic. */
export function diagnosticJson(d: Diagnostic): DiagnosticJson {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.loc?.file ?? null,
    line: d.loc?.line ?? null,
    col: d.loc?.col ?? null,
    pointer: d.pointer ?? null,
    hint: d.hint ?? null,
  };
}

/** The `-o json` document of `validate`: valid when no diagnostic is an error. */
export function renderDiagnosticsJson(diags: readonly Diagnostic[]): string {
  const doc = { valid: !diags.some((d) => d.severity === "error"), diagnostics: diags.map(diagnosticJson) };
  return JSON.stringify(doc, null, 2) + "\n";
}

/**
 * The `-o markdown` form of `validate`, for a CI job summary or a pull-request comment: the verdict, then
 * one table row per problem. Source lines are left out (a line of YAML in a table cell reads badly; the
 * location names it); messages keep their code spans.
 */
export function renderDiagnosticsMarkdown(diags: readonly Diagnostic[], valid: string): string {
  const { errors, text } = counts(diags);
  const lines = ["### appstreamctl validate", ""];
  if (errors === 0) lines.push(`${cell(valid)}${diags.length ? ` — ${text}` : ""}`, "");
  else lines.push("> [!CAUTION]", `> ${text}: nothing can be planned until the errors are fixed.`, "");
  if (diags.length === 0) return lines.join("\n");
  lines.push("| | where | code | problem |", "| --- | --- | --- | --- |");
  for (const d of diags) {
    const where = d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}` : "";
    const problem = d.hint ? `${d.message} — ${d.hint}` : d.message;
    lines.push(`| ${d.severity} | ${cell(where)} | \`${d.code}\` | ${cell(problem)} |`);
  }
  return lines.join("\n") + "\n";
}

/** Text for a table cell: no HTML, no column breaks, one line. Backticks stay: messages quote names in them. */
function cell(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
