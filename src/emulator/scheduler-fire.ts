/**
 * Firing EventBridge Scheduler schedules on the emulator clock (SCHED-FIRE rules in SPEC.md). Like every
 * other time-driven change in the emulator, nothing runs in the background: before each request the server
 * fires whatever fell due since the last one, in order of due time, each invocation at its own instant (a
 * fleet started at 07:00 has been RUNNING for a while when a request arrives at 07:05). As with scheduled
 * scaling actions, the occurrences of one schedule that a clock jump skipped collapse into the latest.
 *
 * Universal targets `arn:aws:scheduler:::aws-sdk:appstream:<action>` call the AppStream operation
 * `<Action>` through the same validation and handlers a client reaches, with `Target.Input` as the request.
 * Every invocation, successful or not, is recorded in the `schedulerInvocations` collection of the
 * schedule's region (visible in `GET /_emulator/state`).
 */
import type { OpContext, OpHandler } from "./context.js";
import { ApiError, modeledOrBug } from "./errors.js";
import { OPERATIONS } from "./model.gen.js";
import { nextFire, parseScheduleExpression } from "../shared/schedule-expr.js";
import type { ScheduleRecord, ScheduleSpec } from "./scheduler-records.js";
import type { Store } from "./store.js";

/** What firing needs of the server: the store, the AppStream handlers and their validation. */
export interface FireDeps {
  store: Store;
  ops: Record<string, OpHandler>;
  validate?: (operation: string, input: Record<string, unknown>) => ApiError | undefined;
  calls: { unmodeled: string[] };
}

/** One invocation of a schedule's target. */
export interface InvocationRecord {
  seq: number;
  /** ISO-8601 instant of the emulator clock the schedule fired at. */
  time: string;
  schedule: string;
  target: string;
  /** The AppStream operation called, for an AppStream universal target. */
  operation?: string;
  /** `"ok"`, the error type the operation answered, or `NotEmulated` for a target outside the emulator. */
  outcome: string;
  message?: string;
}

/** Invocation records kept per region (the oldest are dropped). */
const MAX_INVOCATIONS = 1000;

const UNIVERSAL_APPSTREAM = /^arn:aws(?:-[a-z]+)?:scheduler:::aws-sdk:appstream:([a-zA-Z][a-zA-Z0-9]*)$/;

/**
 * The first invocation strictly after `afterMs`, or undefined when there is none: an at() expression
 * fires once and ignores StartDate/EndDate; rate() counts periods from StartDate (else from `anchorMs`);
 * cron() and rate() stop before EndDate.
 */
export function nextFireAfter(spec: ScheduleSpec, anchorMs: number, afterMs: number): number | undefined {
  const expr = parseScheduleExpression(spec.ScheduleExpression);
  if ("error" in expr) return undefined;
  if (expr.kind === "at") return nextFire(expr, spec.ScheduleExpressionTimezone, afterMs);
  const next = nextFire(expr, spec.ScheduleExpressionTimezone, afterMs, spec.StartDate ?? anchorMs);
  return next !== undefined && spec.EndDate !== undefined && next >= spec.EndDate ? undefined : next;
}

const DAY_MS = 86_400_000;

/** The latest invocation in [first, until], given that `first` is one. */
function latestFire(rec: ScheduleRecord, first: number, until: number): number {
  let t = first;
  // Jump close to the end first: a schedule that fires every minute must not be walked for months.
  if (until - t > 2 * DAY_MS) {
    const late = nextFireAfter(rec.spec, rec.anchorMs, until - 2 * DAY_MS);
    if (late !== undefined && late <= until) t = late;
  }
  for (;;) {
    const n = nextFireAfter(rec.spec, rec.anchorMs, t);
    if (n === undefined || n > until) return t;
    t = n;
  }
}

/**
 * Fires every schedule due at the emulator's `now`: the invocations of one schedule that all fell due
 * unobserved collapse into the latest of them, and schedules fire in the order of those instants.
 * Returns how many fired.
 */
export async function fireDueSchedules(deps: FireDeps): Promise<number> {
  const now = deps.store.now();
  let fired = 0;
  for (const region of deps.store.regions()) {
    const schedules = deps.store.existing<ScheduleRecord>(region, "schedules");
    if (!schedules) continue;
    const due: { key: string; rec: ScheduleRecord; at: number }[] = [];
    for (const [key, rec] of Object.entries(schedules)) {
      if (rec.spec.State !== "ENABLED" || rec.nextFireAt === undefined || rec.nextFireAt > now) continue;
      due.push({ key, rec, at: latestFire(rec, rec.nextFireAt, now) });
      rec.nextFireAt = nextFireAfter(rec.spec, rec.anchorMs, now);
    }
    for (const { key, rec, at } of due.sort((a, b) => a.at - b.at)) {
      await invoke(deps, region, rec, at);
      fired++;
      // A schedule that completed its last invocation is removed when it asks for it.
      if (rec.nextFireAt === undefined && rec.spec.ActionAfterCompletion === "DELETE" && schedules[key] === rec) delete schedules[key];
    }
  }
  return fired;
}

async function invoke(deps: FireDeps, region: string, rec: ScheduleRecord, at: number): Promise<void> {
  const base = { time: new Date(at).toISOString(), schedule: rec.Arn, target: rec.spec.Target.Arn };
  const m = UNIVERSAL_APPSTREAM.exec(rec.spec.Target.Arn);
  if (!m) {
    record(deps, region, { ...base, outcome: "NotEmulated", message: "The emulator invokes only AppStream universal targets." });
    return;
  }
  const operation = m[1]!.charAt(0).toUpperCase() + m[1]!.slice(1);
  try {
    const handler = Object.hasOwn(deps.ops, operation) ? deps.ops[operation] : undefined;
    if (!handler) throw new ApiError("UnknownOperationException", `The operation ${operation} is not supported by this emulator.`);
    let input: unknown;
    try {
      input = JSON.parse(rec.spec.Target.Input ?? "{}");
    } catch {
      input = undefined;
    }
    if (!input || typeof input !== "object" || Array.isArray(input)) throw new ApiError("SerializationException", "The target Input is not a JSON object.");
    const body = input as Record<string, unknown>;
    const invalid = deps.validate?.(operation, body);
    if (invalid) throw invalid;
    const store = deps.store;
    const ctx: OpContext = { store, region, account: store.config.account, now: at, config: store.config, operation, consistencyDelayMs: 0 };
    try {
      await handler(ctx, body);
    } catch (err) {
      throw modeledOrBug(operation, OPERATIONS[operation]?.errors, err, (bug) => deps.calls.unmodeled.push(bug));
    }
    record(deps, region, { ...base, operation, outcome: "ok" });
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError("InternalFailure", String(err), 500);
    record(deps, region, { ...base, operation, outcome: e.type, message: e.message });
  }
}

function record(deps: FireDeps, region: string, entry: Omit<InvocationRecord, "seq">): void {
  const table = deps.store.table<InvocationRecord>(region, "schedulerInvocations");
  const keys = Object.keys(table);
  const seq = keys.length ? table[keys[keys.length - 1]!]!.seq + 1 : 1;
  table[`i${String(seq).padStart(8, "0")}`] = { seq, ...entry };
  for (const k of keys.slice(0, Math.max(0, keys.length + 1 - MAX_INVOCATIONS))) delete table[k];
}
