/**
 * Shared by the reliability suites (issue #8, docs/RELIABILITY.md): the suite size (small in `npm test`,
 * full with RELIABILITY_FULL=1), an in-process CLI run that can be interrupted, the secret check every
 * suite applies to everything the CLI wrote, and a record of what each suite tried for the docs table.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/main.js";
import { BufferOut, type Io } from "../../src/cli/io.js";
import { prng } from "../../src/emulator/faults.js";
import type { CallRecord } from "../../src/emulator/index.js";
import { PASSWORD } from "../e2e/helpers.js";

/** RELIABILITY_FULL=1 runs the published sizes; otherwise a size that keeps `npm test` fast. */
export const FULL = process.env.RELIABILITY_FULL === "1";

/** Cases per suite: `small` in `npm test`, `full` with RELIABILITY_FULL=1. */
export function cases(small: number, full: number): number[] {
  return Array.from({ length: FULL ? full : small }, (_, i) => i + 1);
}

export const EXAMPLE = join(import.meta.dirname, "../../examples/appstream.yaml");

/** What one CLI run wrote. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process against `url`. `interruptAfter` fires the io.onInterrupt handler (Ctrl-C) once,
 * when that many lines have been written to stderr (only lines `counts` accepts, when given).
 */
export async function cli(
  url: string, args: string[], opts: { cwd?: string; interruptAfter?: number; counts?: (line: string) => boolean } = {},
): Promise<RunResult> {
  const stdout = new BufferOut();
  const err = new BufferOut();
  let handler: (() => void) | undefined;
  let lines = 0;
  const stderr = {
    isTTY: false,
    write(chunk: string) {
      err.write(chunk);
      const before = lines;
      lines += chunk.split("\n").slice(0, -1).filter((l) => opts.counts?.(l) ?? true).length;
      if (opts.interruptAfter !== undefined && before < opts.interruptAfter && lines >= opts.interruptAfter) handler?.();
      return true;
    },
  };
  const io: Io = {
    stdout, stderr, cwd: opts.cwd ?? process.cwd(),
    env: { AWS_REGION: "us-east-1", APPSTREAM_AD_PASSWORD: PASSWORD },
    onInterrupt: (h) => {
      handler = h;
      return () => (handler = undefined);
    },
  };
  const code = await run(["--endpoint-url", url, "--color", "never", ...args], io);
  const result = { code, stdout: stdout.text(), stderr: err.text() };
  assertNoSecret(`${args.join(" ")}`, result.stdout, result.stderr);
  return result;
}

/** Fails when the directory-config password shows in any of `texts` (stdout, stderr, files, logs). */
export function assertNoSecret(what: string, ...texts: string[]): void {
  for (const t of texts) {
    if (t.includes(PASSWORD)) throw new Error(`the directory-config password leaked in ${what}`);
  }
}

/** A seeded integer in [min, max] for case `seed` (mulberry32, as the emulator's faults). */
export function seededInt(seed: number, min: number, max: number): number {
  return min + Math.floor(prng(seed * 7919)() * (max - min + 1));
}

/** Calls that name `name` (as Name, FleetName, StackName, UserName, or inside an ARN). */
export function callsNaming(calls: readonly CallRecord[], name: string): CallRecord[] {
  return calls.filter((c) => c.resource !== undefined && (c.resource === name || c.resource.endsWith(`/${name}`)));
}

/** One row of docs/RELIABILITY.md: appended to $RELIABILITY_REPORT (JSON lines) when it is set. */
export function record(row: { suite: string; cases: number; faults: string; converged: number; lost: number; note?: string }): void {
  const file = process.env.RELIABILITY_REPORT;
  if (!file) return;
  mkdirSync(join(file, ".."), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ ...row, full: FULL })}\n`);
}
