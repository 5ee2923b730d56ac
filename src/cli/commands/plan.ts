/**
 * `appstreamctl plan`: validate offline first (bad input never reaches AWS), then read live state and
 * print the ordered plan as text, JSON, YAML, markdown or a DOT/Mermaid graph; `--out` saves it for `apply PLANFILE`.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Plan } from "../../core/plan-types.js";
import { runPlan } from "../../engine/plan-run.js";
import { DEFAULT_READ_CONCURRENCY, type Handler } from "../io.js";
import { EXIT } from "../exit.js";
import { renderPlanJson } from "../render/plan-json.js";
import { renderPlanAs } from "../render/output.js";
import { renderDeleteSummary } from "../render/delete-summary.js";
import { accountOf, loadOrReport, secretValues, withAccount, withConnection } from "./common.js";

export interface PlanOptions {
  out?: string;
  detailedExitcode?: boolean;
  target?: string[];
  prune?: boolean;
  readConcurrency?: number;
  rotate?: string[];
  adopt?: string[];
}

/** True when applying the plan would change anything. */
export function hasChanges(plan: Plan): boolean {
  return plan.resourceChanges.some((c) => c.actions[0] !== "no-op");
}

export const planCommand: Handler<PlanOptions> = async (env, opts) => {
  const { io, globals } = env;
  const loaded = await loadOrReport(env);
  if (!loaded) return EXIT.error;
  const secrets = secretValues(loaded);
  return withConnection(env, loaded, async (conn) => {
    const { plan: read } = await runPlan({
      api: conn.api, region: conn.region, ...(conn.endpoint ? { endpoint: conn.endpoint } : {}),
      manifest: loaded.manifest, prune: opts.prune === true, ...(opts.target ? { targets: opts.target } : {}),
      ...(opts.rotate ? { rotate: opts.rotate } : {}), ...(opts.adopt ? { adopt: opts.adopt } : {}),
      concurrency: opts.readConcurrency ?? DEFAULT_READ_CONCURRENCY, now: new Date(), note: (m: string) => io.stderr.write(`note: ${m}\n`),
    });
    const plan = withAccount(read, await accountOf(env, conn), conn);
    io.stdout.write(renderPlanAs(globals.output, plan, { verbose: globals.verbose > 0, secrets }));
    io.stderr.write(renderDeleteSummary(plan));
    if (opts.out) {
      writeFileSync(resolve(io.cwd, opts.out), renderPlanJson(plan, { secrets }));
      io.stderr.write(`saved plan to ${opts.out}\n`);
    }
    return opts.detailedExitcode && hasChanges(plan) ? EXIT.changes : EXIT.ok;
  });
};
