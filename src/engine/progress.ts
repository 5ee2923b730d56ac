/**
 * What the executor tells the operator, as data: one event per step transition,
 * per observed state change while waiting, per poll tick and per retry. The CLI renders them (one line
 * each, a live view on a TTY, or NDJSON); tests assert on them. Events never carry step params, so a
 * secret resolved at execution time cannot reach them.
 */

/** The final status of a step. `interrupted`: it had started when Ctrl-C stopped it. */
export type StepStatus = "done" | "failed" | "skipped" | "interrupted" | "not-started";

/** Every event of an apply. Times are milliseconds of the executor's clock. */
export type ApplyEvent =
  | { type: "step-start"; id: string; address: string; op: string }
  | { type: "step-done"; id: string; address: string; op: string; durationMs: number; note?: string }
  | { type: "step-failed"; id: string; address: string; op: string; durationMs: number; error: string }
  | { type: "step-skipped"; id: string; address: string; op: string; reason: string }
  | { type: "wait"; id: string; address: string; kind: string; name: string; state: string; until: string; elapsedMs: number }
  | { type: "poll"; kind: string; names: string[]; tick: number }
  | { type: "retry"; operation: string; resource?: string; error: string; attempt: number; delayMs: number }
  | { type: "interrupt"; hard: boolean }
  | { type: "restore"; address: string; phase: RestoreStatus | "start"; reason: string };

/** Receives events; must not throw. */
export type Reporter = (event: ApplyEvent) => void;

/** One step's result, in plan order. */
export interface StepOutcome {
  id: string;
  address: string;
  op: string;
  status: StepStatus;
  durationMs?: number;
  /** Why it failed (the AppError message) or why it was skipped. */
  detail?: string;
  /** E.g. "already gone". */
  note?: string;
}

/**
 * How bringing a resource back into service went: `restored`; `failed` (a restore step failed);
 * `abandoned` (a second Ctrl-C came first).
 */
export type RestoreStatus = "restored" | "failed" | "abandoned";

/** One restore the executor ran (or had to give up) for a sequence that took a resource out of service. */
export interface RestoreOutcome {
  address: string;
  status: RestoreStatus;
  /** Why the restore ran (which step failed, or the interrupt). */
  reason: string;
  /** What went wrong in the restore itself, or a note on an optional step that failed. */
  detail?: string;
  /** The state the resource is left in when not restored, and the command that restores it by hand. */
  leftIn: string;
  manual: string;
}

/**
 * The run state of a resource the apply touched. `seen`: `read` (described after the apply), `waited`
 * (the state a wait of this apply ended on, nothing changed it since) or `last-seen` (the last state a
 * wait observed, when it could not be read again).
 */
export interface RunState {
  address: string;
  state: string;
  seen: "read" | "waited" | "last-seen";
}

/** The summary an apply ends with. */
export interface ApplySummary {
  outcomes: StepOutcome[];
  counts: Record<StepStatus, number>;
  durationMs: number;
  interrupted: boolean;
  /** Restores run for sequences that could not finish, in the order they ended. */
  restores: RestoreOutcome[];
  /** The run state of every touched resource that has one, in plan order. */
  runStates: RunState[];
}

/** Counts the outcomes by status (pure). */
export function summarize(
  outcomes: readonly StepOutcome[], durationMs: number, interrupted: boolean,
  restores: readonly RestoreOutcome[] = [], runStates: readonly RunState[] = [],
): ApplySummary {
  const counts: Record<StepStatus, number> = { done: 0, failed: 0, skipped: 0, interrupted: 0, "not-started": 0 };
  for (const o of outcomes) counts[o.status]++;
  return { outcomes: [...outcomes], counts, durationMs, interrupted, restores: [...restores], runStates: [...runStates] };
}

/** A reporter that keeps every event, for tests and for the summary renderer. */
export function recordingReporter(): Reporter & { events: ApplyEvent[] } {
  const events: ApplyEvent[] = [];
  const r = ((e: ApplyEvent) => {
    events.push(e);
  }) as Reporter & { events: ApplyEvent[] };
  r.events = events;
  return r;
}
