/** Helpers of the issue #6 end-to-end tests (images, image builders, users). */
import { expect } from "vitest";
import { control } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";

/**
 * Applies `file` (with `--auto-approve --allow-disruption`) on a cleared call log, expects exit 0, and
 * returns its mutating calls as `Operation resource`; the plan after it must be empty (DESIGN.md §5:
 * every test re-plans after applying and expects nothing).
 */
export async function applyLog(url: string, file: string): Promise<string[]> {
  await control(url, "DELETE", "calls");
  const r = await apply(url, file);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const log = await mutations(url);
  expect(changesOf(await planOf(url, file))).toEqual({});
  return log;
}
