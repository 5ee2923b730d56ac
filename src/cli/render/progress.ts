/**
 * Apply progress on stderr: one line per event without a TTY; on a TTY a live
 * view — finished steps scroll as lines, running steps and waits are redrawn beneath them with their
 * state and elapsed time; `--json` one NDJSON object per event for machines. And the final summary.
 * Every string written passes {@link maskSecrets}: no secret reaches the terminal or a log.
 */
import kleur from "kleur";
import type { ApplyEvent, ApplySummary, Reporter, RestoreOutcome, RestoreStatus, RunState, StepOutcome } from "../../engine/progress.js";
import { formatDuration } from "../../engine/waiter.js";
import { SUPERSEDED } from "../../engine/converge.js";
import { assertNever } from "../../core/errors.js";
import { redact } from "../../core/redact.js";
import type { Out } from "../io.js";

/** How progress is shown. */
export type ProgressMode = "lines" | "live" | "json";

/** A reporter that writes, and must be closed (stops the live view's timer). */
export interface ProgressWriter {
  report: Reporter;
  close(): void;
}

/** Options of {@link progressWriter}. */
export interface ProgressOptions {
  mode: ProgressMode;
  /** Secret values to mask in anything written. */
  secrets: readonly string[];
  /** Show poll ticks as lines too (`-v`). */
  verbose?: boolean;
  /** Wall time for the live view's elapsed column. */
  now?: () => number;
}

/** Replaces every occurrence of a secret value, in any encoding (core/redact.ts), by the sensitive marker. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return redact(text, secrets);
}

/** The text line for an event, or undefined when the event is not shown as a line. */
export function eventLine(e: ApplyEvent, verbose = false): string | undefined {
  switch (e.type) {
    case "step-start":
      return `${kleur.cyan("start")}    ${e.id} (${e.op})`;
    case "step-done":
      return `${kleur.green("done")}     ${e.id} (${formatDuration(e.durationMs)})${e.note ? ` — ${e.note}` : ""}`;
    case "step-failed":
      return `${kleur.red("FAILED")}   ${e.id} (${formatDuration(e.durationMs)}): ${e.error}`;
    case "step-skipped":
      return `${kleur.yellow("skipped")}  ${e.id}: ${e.reason}`;
    case "wait":
      return `${kleur.cyan("waiting")}  ${e.address}: ${e.kind} ${e.name} is ${e.state}, want ${e.until} (${formatDuration(e.elapsedMs)})`;
    case "poll":
      return verbose ? kleur.dim(`poll     ${e.kind} #${e.tick}: ${e.names.join(", ")}`) : undefined;
    case "retry":
      return kleur.yellow(`retry    ${e.operation}${e.resource ? ` ${e.resource}` : ""}: ${e.error}; attempt ${e.attempt + 1} in ${formatDuration(e.delayMs)}`);
    case "interrupt":
      return kleur.yellow(
        e.hard
          ? "interrupted again: exiting now, abandoning any restart in progress; calls already sent may still complete"
          : "interrupted: no new changes start; waiting for the calls in flight and restarting what this apply stopped (Ctrl-C again to exit at once)",
      );
    case "restore":
      return restoreLine(e.address, e.phase, e.reason);
    default:
      return assertNever(e, "apply event");
  }
}

function restoreLine(address: string, phase: RestoreStatus | "start", reason: string): string {
  switch (phase) {
    case "start":
      return kleur.yellow(`restore  ${address}: ${reason}; bringing it back into service as it was`);
    case "restored":
      return kleur.green(`restored ${address}${reason ? ` (${reason})` : ""}`);
    case "failed":
      return kleur.red(`RESTORE FAILED ${address}: ${reason}`);
    case "abandoned":
      return kleur.red(`restore abandoned ${address}: ${reason}`);
    default:
      return assertNever(phase, "restore phase");
  }
}

/** Writes progress to `out` in the chosen mode. */
export function progressWriter(out: Out, opts: ProgressOptions): ProgressWriter {
  const write = (text: string) => out.write(maskSecrets(text, opts.secrets));
  if (opts.mode === "json") {
    return { report: (e) => write(`${JSON.stringify(e)}\n`), close: () => undefined };
  }
  if (opts.mode === "lines") {
    return {
      report: (e) => {
        const line = eventLine(e, opts.verbose);
        if (line !== undefined) write(`${line}\n`);
      },
      close: () => undefined,
    };
  }
  return liveView(write, opts);
}

/** The TTY view: scrolled lines for finished work, a redrawn block for what is running. */
function liveView(write: (text: string) => void, opts: ProgressOptions): ProgressWriter {
  const now = opts.now ?? Date.now;
  const active = new Map<string, { label: string; since: number; state?: string }>();
  let drawn = 0;
  const redraw = (lines: string[] = []) => {
    let text = drawn ? `\x1b[${drawn}A\r\x1b[0J` : "";
    for (const l of lines) text += `${l}\n`;
    const block = [...active.values()].map((a) => `  ${kleur.cyan("…")} ${a.label}${a.state ? ` ${kleur.dim(a.state)}` : ""} ${kleur.dim(formatDuration(now() - a.since))}`);
    for (const l of block) text += `${l}\n`;
    drawn = block.length;
    write(text);
  };
  // Elapsed times move even when no event arrives; the timer must not keep the process alive.
  const timer = setInterval(() => active.size && redraw(), 1000);
  timer.unref();
  return {
    report(e) {
      switch (e.type) {
        case "step-start":
          active.set(e.id, { label: `${e.id} (${e.op})`, since: now() });
          redraw();
          return;
        case "wait": {
          const a = active.get(e.id);
          if (a) a.state = `${e.state} → ${e.until}`;
          redraw();
          return;
        }
        case "step-done":
        case "step-failed":
          active.delete(e.id);
          redraw([eventLine(e) as string]);
          return;
        case "step-skipped":
        case "retry":
        case "interrupt":
        case "restore":
          redraw([eventLine(e) as string]);
          return;
        case "poll":
          if (opts.verbose) redraw([eventLine(e, true) as string]);
          return;
        default:
          assertNever(e, "apply event");
      }
    },
    close() {
      clearInterval(timer);
      active.clear();
      redraw();
    },
  };
}

function groupByAddress(outcomes: readonly StepOutcome[]): Map<string, StepOutcome[]> {
  const by = new Map<string, StepOutcome[]>();
  for (const o of outcomes) by.set(o.address, [...(by.get(o.address) ?? []), o]);
  return by;
}

/**
 * The final summary: one line of counts and total duration, then one line per resource — done with
 * its time, or the step that failed, was skipped, interrupted or never started, and why.
 */
export function renderApplySummary(s: ApplySummary, secrets: readonly string[]): string {
  const c = s.counts;
  const head = s.interrupted ? kleur.yellow("Apply interrupted") : c.failed ? kleur.red("Apply partly done") : kleur.green("Apply complete");
  const parts = [`${c.done} done`, `${c.failed} failed`, `${c.skipped} skipped`];
  if (c.interrupted) parts.push(`${c.interrupted} interrupted`);
  if (c["not-started"]) parts.push(`${c["not-started"]} not started`);
  const lines = [`${head}: ${parts.join(", ")} steps in ${formatDuration(s.durationMs)}.`];
  for (const [address, steps] of groupByAddress(s.outcomes)) {
    const bad = steps.find((o) => o.status !== "done");
    const total = steps.reduce((sum, o) => sum + (o.durationMs ?? 0), 0);
    if (!bad) {
      // A create that found its resource already there says so here too, not only in the progress log.
      const notes = [...new Set(steps.map((o) => o.note).filter((n): n is string => n !== undefined && n !== SUPERSEDED))];
      const why = notes.length ? ` (${notes.join("; ")})` : "";
      lines.push(`  ${kleur.green("✓")} ${address} — ${steps.length} step${steps.length > 1 ? "s" : ""}, ${formatDuration(total)}${why}`);
      continue;
    }
    const mark = bad.status === "failed" ? kleur.red("✗") : kleur.yellow("-");
    const why = bad.detail ? `: ${bad.detail}` : "";
    lines.push(`  ${mark} ${address} — ${bad.op} ${bad.status}${bad.durationMs !== undefined ? ` after ${formatDuration(bad.durationMs)}` : ""}${why}`);
  }
  lines.push(...restoreLines(s.restores, s.runStates));
  lines.push(...runStateLines(s.runStates));
  if (s.interrupted || c.failed) lines.push("Run apply again to converge: it plans from the live state.");
  return maskSecrets(`${lines.join("\n")}\n`, secrets);
}

/** What each restore did; for one that did not bring the resource back, how to do it by hand. */
function restoreLines(restores: readonly RestoreOutcome[], states: readonly RunState[]): string[] {
  const lines: string[] = [];
  for (const r of restores) {
    const now = states.find((x) => x.address === r.address && x.seen !== "last-seen")?.state ?? r.leftIn;
    if (r.status === "restored") {
      lines.push(`  ${kleur.yellow("↺")} ${r.address} — put back into service as it was before this apply (${r.reason})${r.detail ? `; ${r.detail}` : ""}`);
      continue;
    }
    const why = r.status === "abandoned" ? "its restart was abandoned by the second Ctrl-C" : `its restart failed: ${r.detail ?? "unknown error"}`;
    lines.push(
      kleur.red(`${r.address} is left ${now}: this apply took it out of service (${r.reason}) and ${why}.`),
      `  Restart it with: ${r.manual}`,
      "  or run appstreamctl apply again, which plans from the live state and converges it to the manifest.",
    );
  }
  return lines;
}

/** The run state of every fleet and image builder the apply touched. */
function runStateLines(states: readonly RunState[]): string[] {
  if (!states.length) return [];
  const shown = (r: RunState) => {
    const state = r.state === "GONE" ? "deleted" : r.state;
    return r.seen === "last-seen" ? `${state} (last seen; not read again)` : state;
  };
  return ["Run state:", ...states.map((r) => `  ${r.address}: ${shown(r)}`)];
}
