/**
 * `appstreamctl show PLANFILE` renders a saved plan in any plan format, offline; `appstreamctl graph
 * [PLANFILE]` draws a plan's dependency graph (DOT or Mermaid), from a saved plan or from a fresh plan.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AppError } from "../../core/errors.js";
import type { Plan } from "../../core/plan-types.js";
import type { CommandEnv, Handler, OutputFormat } from "../io.js";
import { EXIT } from "../exit.js";
import { renderPlanAs } from "../render/output.js";
import { parsePlanFile } from "../render/plan-json.js";
import { planCommand, type PlanOptions } from "./plan.js";

/** Reads a plan file saved with `plan --out`; a missing file is a usage error naming it. */
export function readPlanFile(cwd: string, file: string): Plan {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (err) {
    throw new AppError("cli.usage", `cannot read the plan file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { source: "user" });
  }
  return parsePlanFile(text);
}

export const showCommand: Handler = async ({ io, globals }, _opts, args) => {
  const plan = readPlanFile(io.cwd, args[0]!);
  io.stdout.write(renderPlanAs(globals.output, plan, { verbose: globals.verbose > 0 }));
  return EXIT.ok;
};

export interface GraphOptions extends PlanOptions {
  format?: "dot" | "mermaid";
}

/** `--format`, else `-o dot|mermaid`, else DOT. */
function graphFormat(env: CommandEnv, opts: GraphOptions): "dot" | "mermaid" {
  if (opts.format) return opts.format;
  const o: OutputFormat = env.globals.output;
  return o === "mermaid" ? "mermaid" : "dot";
}

export const graphCommand: Handler<GraphOptions> = async (env, opts, args) => {
  const format = graphFormat(env, opts);
  if (args[0] !== undefined) {
    env.io.stdout.write(renderPlanAs(format, readPlanFile(env.io.cwd, args[0])));
    return EXIT.ok;
  }
  return planCommand({ ...env, globals: { ...env.globals, output: format } }, opts, []);
};
