/** Helpers of the apply e2e tests: apply and plan through the CLI, the mutating call log, the emulator state. */
import type { Plan } from "../../src/core/plan-types.js";
import { calls, control } from "../emulator/helpers.js";
import { cli, type CliResult } from "./helpers.js";

/** `apply --auto-approve --allow-disruption` of `file`, plus `extra` options. */
export function apply(url: string, file: string, extra: string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  return cli(url, ["-f", file, "apply", "--auto-approve", "--allow-disruption", ...extra], { env });
}

/** The JSON plan of `file` (fails the test when plan fails). */
export async function planOf(url: string, file: string, extra: string[] = []): Promise<Plan> {
  const r = await cli(url, ["-f", file, "-o", "json", "plan", ...extra]);
  if (r.code !== 0) throw new Error(`plan exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Plan;
}

/** Addresses whose plan is not a no-op, with their actions. */
export function changesOf(plan: Plan): Record<string, string> {
  return Object.fromEntries(plan.resourceChanges.filter((c) => c.actions[0] !== "no-op").map((c) => [c.address, c.actions.join(",")]));
}

/** The mutating operations of the call log, in order, as `Operation resource`. */
export async function mutations(url: string): Promise<string[]> {
  return (await calls(url)).filter((c) => c.mutating).map((c) => `${c.operation} ${c.resource ?? ""}`.trim());
}

interface Lifecycle {
  state: string;
  steps?: { state: string; at: number }[];
}

/** The state a lifecycle has reached at `now`: transitions are stored as timestamps (emulator SPEC). */
function stateAt(l: Lifecycle, now: number): string {
  return (l.steps ?? []).filter((s) => s.at <= now).at(-1)?.state ?? l.state;
}

/** The emulator's records of one table in one region: name → attrs (plus the current state when it has one). */
export async function table(url: string, region: string, name: string): Promise<Record<string, { attrs: Record<string, unknown>; state?: string }>> {
  const { body } = await control(url, "GET", "state");
  const rows = (body.regions?.[region]?.[name] ?? {}) as Record<string, { attrs: Record<string, unknown>; lifecycle?: Lifecycle }>;
  return Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, { attrs: v.attrs, ...(v.lifecycle ? { state: stateAt(v.lifecycle, body.now as number) } : {}) }]));
}
