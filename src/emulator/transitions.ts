/**
 * Time-scaled state transitions computed from stored timestamps (DESIGN.md §4, reference §19 "State and
 * timing"). A resource stores a {@link Lifecycle}: its current state, when it entered it, and the states
 * still ahead with the instant each one is reached. The effective state is a pure function of the stored
 * value and the clock, so a state file written by one process is right when another process reads it
 * later, and advancing the emulator clock moves every resource along.
 *
 * Usage in an area file:
 * ```ts
 * rec.lifecycle = begin(ctx.now, "STARTING", [{ state: "RUNNING", durationMs: ctx.durations.fleetStart }], ctx.timeScale);
 * const { state } = effective(rec.lifecycle, ctx.now);
 * ```
 */

/** One scheduled step: the resource enters `state` at epoch-millisecond `at`. */
export interface ScheduledState {
  state: string;
  at: number;
}

/** What a resource stores. Plain JSON, so it survives persistence unchanged. */
export interface Lifecycle {
  /** The state entered at `since`; later `steps` may already be due. */
  state: string;
  /** Epoch milliseconds when `state` was entered. */
  since: number;
  /** Future states in order, each with its absolute due time. */
  steps: ScheduledState[];
}

/** A step to schedule: enter `state` `durationMs` (before time scaling) after the previous step. */
export interface PlannedStep {
  state: string;
  durationMs: number;
}

/** A lifecycle resting in `state` since `now`, with nothing scheduled. */
export function rest(now: number, state: string): Lifecycle {
  return { state, since: now, steps: [] };
}

/**
 * Enters `state` now (synchronously, reference §15.1: StartFleet must flip to STARTING before the response)
 * and schedules `steps` one after another, each duration multiplied by `timeScale` (0 = immediate).
 */
export function begin(now: number, state: string, steps: PlannedStep[], timeScale: number): Lifecycle {
  let at = now;
  const scheduled = steps.map((s) => {
    at += Math.max(0, Math.round(s.durationMs * timeScale));
    return { state: s.state, at };
  });
  return { state, since: now, steps: scheduled };
}

/** The state in force at `now` and since when: the last step whose time has come, else the stored state. */
export function effective(lc: Lifecycle, now: number): { state: string; since: number } {
  let state = lc.state;
  let since = lc.since;
  for (const step of lc.steps) {
    if (step.at > now) break;
    state = step.state;
    since = step.at;
  }
  return { state, since };
}

/** The lifecycle with every due step applied; use before storing a new transition or a rest state. */
export function settle(lc: Lifecycle, now: number): Lifecycle {
  const { state, since } = effective(lc, now);
  return { state, since, steps: lc.steps.filter((s) => s.at > now) };
}

/** True when nothing is scheduled any more at `now` (the resource is in a resting state). */
export function isSettled(lc: Lifecycle, now: number): boolean {
  return lc.steps.every((s) => s.at <= now);
}
