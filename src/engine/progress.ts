/**
 * What the executor tells the operator, as data (issue #5 "Progress"): one event per step transition,
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
  | { type: "interrupt"; hard: boolean };

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

/** The summary an apply ends with. */
export interface ApplySummary {
  outcomes: StepOutcome[];
  counts: Record<StepStatus, number>;
  durationMs: number;
  interrupted: boolean;
}

/** Counts the outcomes by status (pure). */
export function summarize(outcomes: readonly StepOutcome[], durationMs: number, interrupted: boolean): ApplySummary {
  const counts: Record<StepStatus, number> = { done: 0, failed: 0, skipped: 0, interrupted: 0, "not-started": 0 };
  for (const o of outcomes) counts[o.status]++;
  return { outcomes: [...outcomes], counts, durationMs, interrupted };
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
