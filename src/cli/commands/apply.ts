/**
 * `appstreamctl apply [PLANFILE]` (DESIGN.md §2, issue #5): plan (or read a saved plan and prove it is
 * not stale), show it, get consent, execute it with progress, and end with a summary.
 *
 * Consent: anything that stops a running fleet, replaces or deletes needs a "yes" at an interactive
 * prompt, or `--auto-approve --allow-disruption`; other changes need a "yes" or `--auto-approve`.
 * A prompt that cannot be answered (no TTY) is an error, never a silent skip.
 * Exit codes: 0 done (or nothing to do), 1 error or declined, 3 partly done, 5 stale plan, 130 interrupted.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { AppStreamClient } from "@aws-sdk/client-appstream";
import { createApi, type AppStreamApi } from "../../aws/api.js";
import { DEFAULT_MAX_ATTEMPTS, type Connection } from "../../aws/client.js";
import { AppError } from "../../core/errors.js";
import { fingerprint } from "../../core/plan.js";
import type { Plan } from "../../core/plan-types.js";
import { execute } from "../../engine/execute.js";
import { replanResource, runPlan } from "../../engine/plan-run.js";
import type { ApplySummary } from "../../engine/progress.js";
import { parseWaitTimeouts } from "../../engine/waiter.js";
import { valueAt } from "../../manifest/pointer.js";
import { DEFAULT_READ_CONCURRENCY, type Io } from "../io.js";
import { EXIT } from "../main.js";
import type { CommandEnv, Handler } from "../program.js";
import { renderPlanAs } from "../render/output.js";
import { parsePlanFile } from "../render/plan-json.js";
import { maskSecrets, progressWriter, renderApplySummary } from "../render/progress.js";
import { loadOrReport, secretValues, withConnection, type Loaded } from "./common.js";

/** The options of `apply` (src/cli/program.ts). */
export interface ApplyOptions {
  autoApprove?: boolean;
  allowDisruption?: boolean;
  parallelism?: number;
  prune?: boolean;
  target?: string[];
  waitTimeout?: string;
  rotate?: string[];
  adopt?: string[];
  json?: boolean;
}

/** What consent a plan needs (pure). */
export function consentNeeded(plan: Plan): "none" | "changes" | "disruptive" {
  if (plan.steps.length === 0) return "none";
  const risky = plan.resourceChanges.some((c) => c.disruption !== "none" || (c.actions as readonly string[]).includes("delete"));
  return risky ? "disruptive" : "changes";
}

/** Reads one answer line from stdin; `cli.prompt` if stdin ends first. */
async function ask(io: Io, question: string): Promise<string> {
  const input = io.stdin;
  if (!input) throw new AppError("cli.prompt", "no input to answer the confirmation prompt", { source: "user" });
  io.stderr.write(question);
  const rl = createInterface({ input, terminal: false });
  try {
    return await new Promise<string>((res, rej) => {
      rl.once("line", (line) => res(line.trim()));
      rl.once("close", () => rej(new AppError("cli.prompt", "the confirmation prompt got no answer (input closed)", { source: "user" })));
    });
  } finally {
    rl.close();
  }
}

/** True when the operator agreed (or the flags did); throws `cli.prompt` when nobody can be asked. */
async function confirm(io: Io, plan: Plan, opts: ApplyOptions): Promise<boolean> {
  const need = consentNeeded(plan);
  const flagsSuffice = need === "none" || (opts.autoApprove === true && (need === "changes" || opts.allowDisruption === true));
  if (flagsSuffice) return true;
  if (io.stdin?.isTTY !== true) {
    const flags = need === "disruptive" ? "--auto-approve --allow-disruption" : "--auto-approve";
    const what = need === "disruptive" ? "stops running fleets, replaces or deletes resources" : "changes resources";
    throw new AppError("cli.prompt", `this plan ${what} and there is no terminal to confirm it; pass ${flags} to apply without a prompt`, { source: "user" });
  }
  const warn = need === "disruptive" ? `This plan is disruptive: ${plan.summary.disruptive} disruptive change(s), ${plan.summary.destroy} to destroy.\n` : "";
  return (await ask(io, `${warn}Do you want to perform these actions? Only 'yes' will be accepted: `)) === "yes";
}

/** A client per extra region, on the same endpoint and credentials as `conn` (CopyImage, reference §7.4). */
function regionalApis(env: CommandEnv, conn: Connection): { apiFor: (region: string) => AppStreamApi; close: () => void } {
  const clients: AppStreamClient[] = [];
  return {
    apiFor(region) {
      const client = new AppStreamClient({
        region, retryMode: "standard", maxAttempts: DEFAULT_MAX_ATTEMPTS,
        ...(conn.endpoint ? { endpoint: conn.endpoint } : {}),
        ...(conn.local ? { credentials: { accessKeyId: "appstreamctl-local", secretAccessKey: "appstreamctl-local" } } : {}),
        ...(!conn.local && env.globals.profile ? { profile: env.globals.profile } : {}),
      });
      clients.push(client);
      return createApi(client, conn.api.counter);
    },
    close: () => clients.forEach((c) => c.destroy()),
  };
}

/** Re-reads live state and lists each address whose fingerprint moved since the saved plan. */
async function staleAddresses(conn: Connection, loaded: Loaded, saved: Plan): Promise<string[]> {
  if (saved.target.region !== conn.region) {
    throw new AppError("cli.usage", `the saved plan is for region ${saved.target.region}, but this run targets ${conn.region}`, { source: "user" });
  }
  const { live } = await runPlan({
    api: conn.api, region: conn.region, manifest: loaded.manifest, concurrency: DEFAULT_READ_CONCURRENCY, now: new Date(),
    // Deletes of unlisted resources were planned with every tag read (--prune); read the same way.
    prune: saved.resourceChanges.some((c) => c.actions[0] === "delete"),
    // What the saved plan changes may include resources it adopted; an owner that changed since shows as stale.
    adopt: Object.keys(saved.fingerprints),
  });
  const byAddress = new Map(live.resources.map((r) => [r.address, r]));
  return Object.entries(saved.fingerprints)
    .filter(([address, fp]) => fingerprint(byAddress.get(address)) !== fp)
    .map(([address]) => address);
}

/** Every `{ "$secret": pointer }` in the plan's step params. */
function secretPointers(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) secretPointers(v, out);
  else if (value !== null && typeof value === "object") {
    const rec = value as Record<string, unknown>;
    if (typeof rec.$secret === "string") out.add(rec.$secret);
    else for (const v of Object.values(rec)) secretPointers(v, out);
  }
  return out;
}

/**
 * A step that must send a secret whose variable is unset stops the apply before anything is sent
 * (a read-only command only noted it). The hint names the variable, never suggests writing the value.
 */
function requireSecrets(plan: Plan, loaded: Loaded): void {
  const names = [...secretPointers(plan.steps.map((s) => s.params))].flatMap((p) => loaded.unsetSecrets.get(p) ?? []);
  if (names.length === 0) return;
  const vars = [...new Set(names)].join(", ");
  const verb = names.length > 1 ? "are" : "is";
  throw new AppError("manifest.env-secret-unset", `this apply sends a write-only secret, but ${vars} ${verb} not set; nothing was changed (set ${vars} in the environment of apply, from your secret store)`, { source: "user" });
}

/** The exit code of a finished apply: 130 interrupted, 3 when any step did not get done, else 0. */
export function applyExitCode(s: ApplySummary): number {
  if (s.interrupted) return EXIT.interrupted;
  return s.counts.failed || s.counts.skipped || s.counts["not-started"] ? EXIT.partial : EXIT.ok;
}

/** The `apply` handler: plan or load a saved plan, show it, get consent, execute, summarize. */
export const applyCommand: Handler<ApplyOptions> = async (env, opts, args) => {
  const { io, globals } = env;
  const timeouts = parseWaitTimeouts(opts.waitTimeout);
  const loaded = await loadOrReport(env);
  if (!loaded) return EXIT.error;
  const secrets = secretValues(loaded);
  const planFile = args[0];
  const saved = planFile === undefined ? undefined : parsePlanFile(readFileSync(resolve(io.cwd, planFile), "utf8"));

  return withConnection(env, loaded, async (conn) => {
    let plan: Plan;
    if (saved) {
      const stale = await staleAddresses(conn, loaded, saved);
      if (stale.length) {
        io.stderr.write(`The saved plan is stale: ${stale.length} resource(s) changed since it was made; nothing was changed.\n`);
        for (const a of stale) io.stderr.write(`  ~ ${a} changed since the plan\n`);
        io.stderr.write("Run plan again.\n");
        return EXIT.stale;
      }
      plan = saved;
    } else {
      plan = (await runPlan({
        api: conn.api, region: conn.region, ...(conn.endpoint ? { endpoint: conn.endpoint } : {}),
        manifest: loaded.manifest, prune: opts.prune === true, ...(opts.target ? { targets: opts.target } : {}),
        ...(opts.rotate ? { rotate: opts.rotate } : {}), ...(opts.adopt ? { adopt: opts.adopt } : {}),
        concurrency: DEFAULT_READ_CONCURRENCY, now: new Date(), note: (m: string) => io.stderr.write(`note: ${m}\n`),
      })).plan;
    }
    io.stdout.write(renderPlanAs(globals.output, plan, { verbose: globals.verbose > 0, secrets }));
    requireSecrets(plan, loaded);
    if (plan.steps.length === 0) {
      io.stderr.write("No changes. The estate matches the manifest.\n");
      return EXIT.ok;
    }
    // A saved plan was reviewed when it was made: it is the approval, as in Terraform.
    if (!saved && !(await confirm(io, plan, opts))) {
      io.stderr.write("Apply cancelled: nothing was changed.\n");
      return EXIT.error;
    }
    return run(env, conn, loaded, plan, { ...opts, timeouts, secrets });
  });
};

async function run(
  env: CommandEnv, conn: Connection, loaded: Loaded, plan: Plan,
  opts: ApplyOptions & { timeouts: ReturnType<typeof parseWaitTimeouts>; secrets: string[] },
): Promise<number> {
  const { io, globals } = env;
  const mode = opts.json ? "json" : io.stderr.isTTY ? "live" : "lines";
  const progress = progressWriter(io.stderr, { mode, secrets: opts.secrets, verbose: globals.verbose > 0 });
  const regions = regionalApis(env, conn);
  const interrupt = new AbortController();
  let hardExit: (code: number) => void = () => undefined;
  const hard = new Promise<number>((res) => (hardExit = res));
  const removeHandler = io.onInterrupt?.(() => {
    const second = interrupt.signal.aborted;
    progress.report({ type: "interrupt", hard: second });
    if (second) hardExit(EXIT.interrupted);
    else interrupt.abort(new AppError("apply.interrupted", "interrupted by Ctrl-C", { source: "user" }));
  });
  const secret = (pointer: string): string => {
    const v = valueAt(loaded.manifest, pointer);
    if (typeof v !== "string" || v === "") throw new AppError("apply.failed", `the secret at ${pointer} has no value in the manifest`, { source: "user" });
    return v;
  };
  // A create that finds its resource already there plans it again; a password it would have set is sent.
  const replan = (address: string) => replanResource({
    api: conn.api, region: conn.region, ...(conn.endpoint ? { endpoint: conn.endpoint } : {}), manifest: loaded.manifest,
    rotate: [address], ...(opts.adopt ? { adopt: opts.adopt } : {}), concurrency: DEFAULT_READ_CONCURRENCY, now: new Date(), signal: interrupt.signal,
  }, address);
  try {
    const summary = execute({
      api: conn.api, apiFor: regions.apiFor, region: conn.region, signal: interrupt.signal,
      report: progress.report, secret, parallelism: opts.parallelism ?? 4, timeouts: opts.timeouts, replan,
    }, plan);
    const first = await Promise.race([summary, hard]);
    progress.close();
    // A second Ctrl-C exits at once; the calls already sent finish or fail on their own.
    if (typeof first === "number") return first;
    if (opts.json) {
      const event = { type: "summary", counts: first.counts, durationMs: first.durationMs, interrupted: first.interrupted, outcomes: first.outcomes };
      io.stderr.write(maskSecrets(`${JSON.stringify(event)}\n`, opts.secrets));
    }
    // With -o json, stdout holds only the plan document.
    (globals.output === "json" ? io.stderr : io.stdout).write(renderApplySummary(first, opts.secrets));
    return applyExitCode(first);
  } finally {
    removeHandler?.();
    regions.close();
  }
}
