/**
 * Output formats (`-o`): every command that prints a document picks from the ones it supports; asking
 * for another is a usage error that names them. YAML is the JSON document in YAML form, for people and
 * policy tools that prefer it.
 */
import { yamlLib } from "../../manifest/yaml-lib.js";
import { AppError } from "../../core/errors.js";
import type { Plan } from "../../core/plan-types.js";
import type { OutputFormat } from "../io.js";
import { renderPlanDot, renderPlanMermaid } from "./plan-graph.js";
import { renderPlanJson } from "./plan-json.js";
import { renderPlanMarkdown } from "./plan-markdown.js";
import { renderPlanText } from "./plan-text.js";

/** Throws `cli.usage` unless `format` is one of `supported`. */
export function requireFormat<F extends OutputFormat>(command: string, format: OutputFormat, supported: readonly F[]): F {
  if ((supported as readonly OutputFormat[]).includes(format)) return format as F;
  throw new AppError("cli.usage", `${command} does not print -o ${format}; it prints ${supported.join(", ")}`, { source: "user" });
}

/** A JSON document (already rendered, secrets already checked) as YAML. */
export function jsonToYaml(json: string): string {
  return yamlLib().stringify(JSON.parse(json), { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Renders a plan in any format; secrets are checked by every renderer that prints values. */
export function renderPlanAs(format: OutputFormat, plan: Plan, opts: { verbose?: boolean; secrets?: readonly string[] } = {}): string {
  const secrets = opts.secrets ?? [];
  switch (format) {
    case "json":
      return renderPlanJson(plan, { secrets });
    case "yaml":
      return jsonToYaml(renderPlanJson(plan, { secrets }));
    case "markdown":
      return renderPlanMarkdown(plan, { verbose: opts.verbose ?? false, secrets });
    case "dot":
      return renderPlanDot(plan);
    case "mermaid":
      return renderPlanMermaid(plan);
    case "text":
      return renderPlanText(plan, { verbose: opts.verbose ?? false, secrets });
  }
}
