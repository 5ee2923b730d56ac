import kleur from "kleur";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BufferOut } from "../../src/cli/io.js";
import { progressWriter, renderApplySummary } from "../../src/cli/render/progress.js";
import { summarize, type ApplyEvent } from "../../src/engine/progress.js";

const SECRET = "Pa55-word!";
const EVENTS: ApplyEvent[] = [
  { type: "step-start", id: "Fleet/f#create", address: "Fleet/f", op: "fleet.create" },
  { type: "step-done", id: "Fleet/f#create", address: "Fleet/f", op: "fleet.create", durationMs: 1500 },
  { type: "step-start", id: "Fleet/f#running", address: "Fleet/f", op: "wait" },
  { type: "poll", kind: "fleet", names: ["f", "g"], tick: 1 },
  { type: "wait", id: "Fleet/f#running", address: "Fleet/f", kind: "fleet", name: "f", state: "STARTING", until: "RUNNING", elapsedMs: 65_000 },
  { type: "retry", operation: "CreateDirectoryConfig", resource: "DirectoryConfig/d", error: `password ${SECRET} rejected`, attempt: 1, delayMs: 800 },
  { type: "step-failed", id: "Fleet/f#running", address: "Fleet/f", op: "wait", durationMs: 70_000, error: "fleet f reports errors: SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES: no IPs" },
  { type: "step-skipped", id: "FleetAssociation/s/f#create", address: "FleetAssociation/s/f", op: "fleet-association.create", reason: "depends on Fleet/f#running, which failed" },
];

describe("progress output", () => {
  let enabled: boolean;
  beforeEach(() => {
    enabled = kleur.enabled;
    kleur.enabled = false;
  });
  afterEach(() => {
    kleur.enabled = enabled;
  });

  it("without a TTY: one line per event, poll ticks only with -v, secrets masked", () => {
    const out = new BufferOut();
    const w = progressWriter(out, { mode: "lines", secrets: [SECRET] });
    EVENTS.forEach(w.report);
    w.close();
    expect(out.text()).toBe(
      [
        "start    Fleet/f#create (fleet.create)",
        "done     Fleet/f#create (1.5s)",
        "start    Fleet/f#running (wait)",
        "waiting  Fleet/f: fleet f is STARTING, want RUNNING (1m 5s)",
        "retry    CreateDirectoryConfig DirectoryConfig/d: password (sensitive) rejected; attempt 2 in 800ms",
        "FAILED   Fleet/f#running (1m 10s): fleet f reports errors: SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES: no IPs",
        "skipped  FleetAssociation/s/f#create: depends on Fleet/f#running, which failed",
        "",
      ].join("\n"),
    );
  });

  it("--json: every event as one JSON line, secrets masked", () => {
    const out = new BufferOut();
    const w = progressWriter(out, { mode: "json", secrets: [SECRET] });
    EVENTS.forEach(w.report);
    const lines = out.text().trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as ApplyEvent).type)).toEqual(EVENTS.map((e) => e.type));
    expect(out.text()).not.toContain(SECRET);
  });

  it("on a TTY: finished steps scroll, running ones are redrawn with state and elapsed time", () => {
    const out = new BufferOut();
    let now = 0;
    const w = progressWriter(out, { mode: "live", secrets: [SECRET], now: () => now });
    w.report(EVENTS[2] as ApplyEvent);
    now = 65_000;
    w.report(EVENTS[4] as ApplyEvent);
    w.report(EVENTS[6] as ApplyEvent);
    w.close();
    const text = out.text();
    expect(text).toContain("  … Fleet/f#running (wait) 0ms\n");
    expect(text).toContain("\x1b[1A\r\x1b[0J  … Fleet/f#running (wait) STARTING → RUNNING 1m 5s\n");
    expect(text).toContain("\x1b[1A\r\x1b[0JFAILED   Fleet/f#running (1m 10s)");
    expect(text.endsWith("no IPs\n")).toBe(true);
  });

  it("restore events: one line each without a TTY, scrolled lines on a TTY", () => {
    const restore: ApplyEvent[] = [
      { type: "restore", address: "Fleet/f", phase: "start", reason: "Fleet/f#update failed" },
      { type: "restore", address: "Fleet/f", phase: "restored", reason: "Fleet/f#update failed" },
      { type: "restore", address: "Fleet/g", phase: "failed", reason: "fleet.start failed: no capacity" },
      { type: "restore", address: "Fleet/h", phase: "abandoned", reason: "the apply was interrupted" },
    ];
    const lines = new BufferOut();
    const w = progressWriter(lines, { mode: "lines", secrets: [] });
    restore.forEach(w.report);
    expect(lines.text()).toBe(
      [
        "restore  Fleet/f: Fleet/f#update failed; bringing it back into service as it was",
        "restored Fleet/f (Fleet/f#update failed)",
        "RESTORE FAILED Fleet/g: fleet.start failed: no capacity",
        "restore abandoned Fleet/h: the apply was interrupted",
        "",
      ].join("\n"),
    );
    const tty = new BufferOut();
    const live = progressWriter(tty, { mode: "live", secrets: [], now: () => 0 });
    restore.forEach(live.report);
    live.close();
    expect(tty.text()).toBe(lines.text());
  });

  it("the summary ends with the run state of every fleet and builder touched; a state not read again is said so", () => {
    const s = summarize(
      [{ id: "Fleet/f#update", address: "Fleet/f", op: "fleet.update", status: "done", durationMs: 100 }], 100, false, [],
      [
        { address: "Fleet/f", state: "RUNNING", seen: "read" },
        { address: "Fleet/old", state: "GONE", seen: "waited" },
        { address: "ImageBuilder/b", state: "STOPPING", seen: "last-seen" },
      ],
    );
    expect(renderApplySummary(s, [])).toBe(
      [
        "Apply complete: 1 done, 0 failed, 0 skipped steps in 100ms.",
        "  ✓ Fleet/f — 1 step, 100ms",
        "Run state:",
        "  Fleet/f: RUNNING",
        "  Fleet/old: deleted",
        "  ImageBuilder/b: STOPPING (last seen; not read again)",
        "",
      ].join("\n"),
    );
  });

  it("the summary counts steps and lists each resource with its duration or why it did not finish", () => {
    const s = summarize(
      [
        { id: "Fleet/f#create", address: "Fleet/f", op: "fleet.create", status: "done", durationMs: 1500 },
        { id: "Fleet/f#running", address: "Fleet/f", op: "wait", status: "failed", durationMs: 70_000, detail: "fleet f reports errors" },
        { id: "Stack/s#create", address: "Stack/s", op: "stack.create", status: "done", durationMs: 200 },
        { id: "FleetAssociation/s/f#create", address: "FleetAssociation/s/f", op: "fleet-association.create", status: "skipped", detail: "depends on Fleet/f#running, which failed" },
      ],
      72_000,
      false,
    );
    expect(renderApplySummary(s, [])).toBe(
      [
        "Apply partly done: 2 done, 1 failed, 1 skipped steps in 1m 12s.",
        "  ✗ Fleet/f — wait failed after 1m 10s: fleet f reports errors",
        "  ✓ Stack/s — 1 step, 200ms",
        "  - FleetAssociation/s/f — fleet-association.create skipped: depends on Fleet/f#running, which failed",
        "Run apply again to converge: it plans from the live state.",
        "",
      ].join("\n"),
    );
  });
});
