/**
 * `appstreamctl apply [PLANFILE]` (DESIGN.md §2): plan (or read a saved plan and prove it is
 * not stale), show it, get consent, execute it with progress, and end with a summary.
 *
 * Consent: anything that stops a running fleet, replaces or deletes needs a "yes" at an interactive
 * prompt, or `--auto-approve --allow-disruption`; other changes need a "yes" or `--auto-approve`.
 * A prompt that cannot be answered (no TTY) is an error, never a silent skip.
 * A saved plan is applied only where it was made (account, region, endpoint) and only while not stale;
 * everything after that runs under the apply lock (apply-lock.ts).
 * Exit codes: 0 done (or nothing to do), 1 error or declined, 3 partly done, 5 stale plan or another
 * target, 130 interrupted.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Connection } from "../../aws/client.js";
import { AppError } from "../../core/errors.js";
import { fingerprint } from "../../core/plan.js";
import type { Plan, PlanTarget } from "../../core/plan-types.js";
import { execute } from "../../engine/execute.js";
import { isWait } from "../../engine/ops.js";
import { readTouched, replanResource, runPlan } from "../../engine/plan-run.js";
import { retryingApi, type LiveState } from "../../engine/read.js";
import { createRecheck } from "../../engine/recheck.js";
import { systemClock } from "../../aws/retry.js";
import type { LiveResource } from "../../kinds/contract.js";
import type { ApplySummary } from "../../engine/progress.js";
import { parseWaitTimeouts } from "../../engine/waiter.js";
import { valueAt } from "../../manifest/pointer.js";
import { DEFAULT_READ_CONCURRENCY, type CommandEnv, type Handler, type Io } from "../io.js";
import { EXIT } from "../exit.js";
import { renderPlanAs } from "../render/output.js";
import { parsePlanFile } from "../render/plan-json.js";
import { maskSecrets, progressWriter, renderApplySummary } from "../render/progress.js";
import { renderDeleteSummary } from "../render/delete-summary.js";
import { withApplyLock } from "./apply-lock.js";
import { accountOf, loadOrReport, secretValues, withAccount, withConnection, type Loaded } from "./common.js";

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
  lockTable?: string;
  lockTimeout?: string;
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

/**
 * How this run's target differs from the one a saved plan was made for (pure): one line per difference.
 * A plan made where the account could not be read is held to region and endpoint only.
 */
export function targetDifferences(saved: PlanTarget, now: PlanTarget): string[] {
  const out: string[] = [];
  if (saved.account !== undefined && saved.account !== now.account) {
    out.push(`account ${saved.account} in the plan, ${now.account ?? "unknown (STS GetCallerIdentity failed)"} now`);
  }
  if (saved.region !== now.region) out.push(`region ${saved.region} in the plan, ${now.region} now`);
  const where = (e: string | undefined) => e ?? "the AWS endpoint";
  if (saved.endpoint !== now.endpoint) out.push(`endpoint ${where(saved.endpoint)} in the plan, ${where(now.endpoint)} now`);
  return out;
}

/**
 * Re-reads what the saved plan touches (and what that depends on), not the estate, and lists each address
 * whose fingerprint moved since the plan was made.
 */
async function staleAddresses(conn: Connection, loaded: Loaded, saved: Plan): Promise<{ stale: string[]; live: LiveState }> {
  const touched = Object.keys(saved.fingerprints);
  const live = await readTouched({
    api: conn.api, region: conn.region, manifest: loaded.manifest, concurrency: DEFAULT_READ_CONCURRENCY,
    // Deletes of unlisted resources were planned with every tag read (--prune); read the same way.
    prune: saved.resourceChanges.some((c) => c.actions[0] === "delete"),
  }, touched);
  const byAddress = new Map(live.resources.map((r) => [r.address, r]));
  const stale = Object.entries(saved.fingerprints)
    .filter(([address, fp]) => fingerprint(byAddress.get(address)) !== fp)
    .map(([address]) => address);
  return { stale, live };
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

  // With --json, stderr carries only NDJSON events.
  const say = (type: "lock" | "warning", message: string) =>
    io.stderr.write(opts.json ? `${JSON.stringify({ type, message })}\n` : `${message}\n`);
  return withConnection(env, loaded, async (conn) => {
    const account = () => accountOf(env, conn, (line) => say("warning", line));
    if (saved) {
      const here: PlanTarget = { region: conn.region, ...(conn.endpoint ? { endpoint: conn.endpoint } : {}) };
      const acct = await account();
      const moved = targetDifferences(saved.target, acct === undefined ? here : { account: acct, ...here });
      if (moved.length) {
        io.stderr.write(`The saved plan was made for another target; nothing was changed.\n${moved.map((m) => `  ${m}\n`).join("")}`);
        io.stderr.write("Apply it where it was planned, or run plan again here.\n");
        return EXIT.stale;
      }
      if (saved.target.account === undefined) say("warning", "Warning: the saved plan records no account, so the account could not be checked.");
    }
    const command = ["appstreamctl apply", ...(planFile ? [planFile] : []), ...(opts.prune ? ["--prune"] : []), ...(opts.target ?? []).map((t) => `--target ${t}`)].join(" ");
    const lockOpts = { command, say, ...(opts.lockTable ? { lockTable: opts.lockTable } : {}), ...(opts.lockTimeout ? { lockTimeout: opts.lockTimeout } : {}) };
    return withApplyLock(env, conn, loaded, lockOpts, async (guard) => {
      let plan: Plan;
      let baseline: LiveState;
      if (saved) {
        const { stale, live } = await guard.interruptible(staleAddresses(conn, loaded, saved));
        baseline = live;
        if (stale.length) {
          io.stderr.write(`The saved plan is stale: ${stale.length} resource(s) changed since it was made; nothing was changed.\n`);
          for (const a of stale) io.stderr.write(`  ~ ${a} changed since the plan\n`);
          io.stderr.write("Run plan again.\n");
          return EXIT.stale;
        }
        plan = saved;
      } else {
        // Planned under the lock: what is shown is what nobody else is changing meanwhile.
        const made = await guard.interruptible(runPlan({
          api: conn.api, region: conn.region, ...(conn.endpoint ? { endpoint: conn.endpoint } : {}),
          manifest: loaded.manifest, prune: opts.prune === true, ...(opts.target ? { targets: opts.target } : {}),
          ...(opts.rotate ? { rotate: opts.rotate } : {}), ...(opts.adopt ? { adopt: opts.adopt } : {}),
          concurrency: DEFAULT_READ_CONCURRENCY, now: new Date(), signal: guard.signal, note: (m: string) => io.stderr.write(`note: ${m}\n`),
        }));
        plan = withAccount(made.plan, await account(), conn);
        baseline = made.live;
      }
      io.stdout.write(renderPlanAs(globals.output, plan, { verbose: globals.verbose > 0, secrets }));
      requireSecrets(plan, loaded);
      if (plan.steps.length === 0) {
        io.stderr.write("No changes. The estate matches the manifest.\n");
        return EXIT.ok;
      }
      io.stderr.write(renderDeleteSummary(plan));
      // A saved plan was reviewed when it was made: it is the approval, as in Terraform.
      if (!saved && !(await guard.interruptible(confirm(io, plan, opts)))) {
        io.stderr.write("Apply cancelled: nothing was changed.\n");
        return EXIT.error;
      }
      return guard.executing(() => run(env, conn, loaded, plan, { ...opts, timeouts, secrets, baseline: baseline.resources }));
    });
  });
};

async function run(
  env: CommandEnv, conn: Connection, loaded: Loaded, plan: Plan,
  opts: ApplyOptions & { timeouts: ReturnType<typeof parseWaitTimeouts>; secrets: string[]; baseline: readonly LiveResource[] },
): Promise<number> {
  const { io, globals } = env;
  const mode = opts.json ? "json" : io.stderr.isTTY ? "live" : "lines";
  const progress = progressWriter(io.stderr, { mode, secrets: opts.secrets, verbose: globals.verbose > 0 });
  // First Ctrl-C: nothing new starts, but what this apply stopped is started again. Second: that restart
  // is abandoned too, and the run ends at once with a summary naming what is left stopped.
  const interrupt = new AbortController();
  const hard = new AbortController();
  const removeHandler = io.onInterrupt?.(() => {
    if (hard.signal.aborted) return;
    const second = interrupt.signal.aborted;
    progress.report({ type: "interrupt", hard: second });
    const reason = new AppError("apply.interrupted", "interrupted by Ctrl-C", { source: "user" });
    if (second) hard.abort(reason);
    else interrupt.abort(reason);
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
    const recheck = createRecheck({
      api: retryingApi(conn.api, systemClock, interrupt.signal), region: conn.region, baseline: opts.baseline, steps: plan.steps, isWait,
    });
    const summary = await execute({
      api: conn.api,
      // CopyImage's destination: built and closed by the connection, with its endpoint, credentials,
      // deadlines and retries (reference §7.4).
      apiFor: (region) => conn.regionalApi(region), region: conn.region, signal: interrupt.signal, hardSignal: hard.signal,
      report: progress.report, secret, parallelism: opts.parallelism ?? 4, timeouts: opts.timeouts, replan, recheck,
    }, plan);
    progress.close();
    if (opts.json) {
      const event = {
        type: "summary", counts: summary.counts, durationMs: summary.durationMs, interrupted: summary.interrupted, outcomes: summary.outcomes,
        restores: summary.restores, runStates: summary.runStates,
      };
      io.stderr.write(maskSecrets(`${JSON.stringify(event)}\n`, opts.secrets));
    }
    // With -o json, stdout holds only the plan document.
    (globals.output === "json" ? io.stderr : io.stdout).write(renderApplySummary(summary, opts.secrets));
    return applyExitCode(summary);
  } finally {
    removeHandler?.();
  }
}
