/**
 * `appstreamctl emulator` (DESIGN.md §2): serves the AppStream emulator on 127.0.0.1 until SIGINT or
 * SIGTERM, then closes it, flushes the state file and returns 0. The first stdout line is exactly
 * `listening on http://127.0.0.1:PORT` so scripts and tests can read the port (also for `--port 0`).
 * Options: --port, --state-file, --time-scale, --page-size, --faults (grammar in emulator/faults.ts),
 * --quotas (see {@link parseQuotas}), --account, --not-found-status; with the global -v every API call is echoed to stderr.
 */
import { AppError } from "../../core/errors.js";
import { parseFaults, type FaultSpec } from "../../emulator/faults.js";
import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { DEFAULT_QUOTAS, StateFileError, type Quotas } from "../../emulator/store.js";
import type { Handler } from "../io.js";

export interface EmulatorCommandOptions {
  port: number;
  stateFile?: string;
  timeScale: number;
  pageSize?: number;
  faults?: string;
  quotas?: string;
  account: string;
  notFoundStatus: "404" | "400";
}

/** The count quotas `--quotas` may set: every numeric member of {@link Quotas} (not the per-type instances map). */
type CountQuota = Exclude<keyof Quotas, "instances">;

/**
 * Parses `--quotas`: `key=N` entries separated by commas, e.g. `fleets=300,users=20000` (a scale benchmark
 * needs far more than the §16 defaults). Unknown keys and non-integers throw an Error naming the entry.
 */
export function parseQuotas(spec: string): Partial<Quotas> {
  const keys = Object.keys(DEFAULT_QUOTAS).filter((k) => k !== "instances") as CountQuota[];
  const out: Partial<Record<CountQuota, number>> = {};
  for (const raw of spec.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const m = /^([A-Za-z]+)=(\d+)$/.exec(entry);
    if (!m) throw new Error(`"${entry}": expected key=N`);
    const key = m[1] as CountQuota;
    if (!keys.includes(key)) throw new Error(`"${entry}": unknown quota "${m[1]}" (one of ${keys.join(", ")})`);
    out[key] = Number(m[2]);
  }
  return out;
}

export const emulatorCommand: Handler<EmulatorCommandOptions> = async ({ io, globals }, opts) => {
  if (!/^\d{12}$/.test(opts.account)) throw new AppError("cli.usage", `--account: expected a 12-digit account id, got "${opts.account}"`);
  let faults: FaultSpec;
  try {
    faults = parseFaults(opts.faults ?? "");
  } catch (err) {
    throw new AppError("cli.usage", `--faults: ${(err as Error).message}`);
  }
  let quotas: Partial<Quotas>;
  try {
    quotas = parseQuotas(opts.quotas ?? "");
  } catch (err) {
    throw new AppError("cli.usage", `--quotas: ${(err as Error).message}`);
  }
  let emu: RunningEmulator;
  try {
    emu = await startEmulator({
      port: opts.port,
      stateFile: opts.stateFile,
      timeScale: opts.timeScale,
      pageSize: opts.pageSize,
      faults,
      quotas,
      account: opts.account,
      notFoundStatus: opts.notFoundStatus === "400" ? 400 : 404,
      // -v: one stderr line per API call, so a user can watch what a client does.
      onCall:
        globals.verbose > 0
          ? (c) => io.stderr.write(`${c.seq} ${c.region} ${c.operation}${c.resource ? ` ${c.resource}` : ""} → ${c.outcome} (${c.status})\n`)
          : undefined,
    });
  } catch (err) {
    if (err instanceof StateFileError) throw new AppError("emulator.state-file", err.message, { cause: err });
    throw new AppError("cli.io", `cannot start the emulator: ${(err as Error).message}`, { cause: err });
  }
  // SIGINT comes through the Io boundary; SIGTERM (service managers, test harnesses) is handled here,
  // in the CLI layer, which is the only layer allowed to touch the process. Both are registered before
  // the first line is printed: a reader may signal the moment it sees the line.
  let removeInterrupt: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      removeInterrupt?.();
      process.off("SIGTERM", stop);
      resolve();
    };
    removeInterrupt = io.onInterrupt?.(stop);
    process.once("SIGTERM", stop);
  });
  io.stdout.write(`listening on ${emu.url}\n`);
  await stopped;
  await emu.close();
  io.stderr.write(opts.stateFile ? `emulator stopped; state saved to ${opts.stateFile}\n` : "emulator stopped\n");
  return 0;
};
