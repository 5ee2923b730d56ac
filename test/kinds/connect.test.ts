/**
 * The connect table: validity parsing and its bounds as the model states them, and the one stack case the
 * emulator cannot produce (a stack reporting several fleets), on a fake api that fails on any call it
 * was not given.
 */
import { describe, expect, it } from "vitest";
import { fakeApi } from "../../src/aws/api.js";
import { AppError } from "../../src/core/errors.js";
import { SHAPES } from "../../src/emulator/model.gen.js";
import { DEFAULT_VALIDITY_SECONDS, parseValidity, validitySeconds } from "../../src/kinds/connect.js";
import { CONNECT_TARGETS } from "../../src/kinds/index.js";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
  return "no error";
}

describe("connect table", () => {
  it("parses seconds and s/m/h/d durations; anything else is undefined", () => {
    expect(["1", "90s", "30m", "2h", "7d", " 45m "].map(parseValidity)).toEqual([1, 90, 1800, 7200, 604800, 2700]);
    expect(["", "1.5h", "-5", "2w", "h", "10 m", "1e3"].map(parseValidity)).toEqual(Array(7).fill(undefined));
  });

  it.each(Object.entries(CONNECT_TARGETS))("%s: validity bounds are the model's Validity range, default 3600 s", (kind, target) => {
    const shape = SHAPES[target.validityLimit] as { min?: number; max?: number } | undefined;
    expect(shape, `${kind}: ${target.validityLimit} in the model`).toMatchObject({ min: 1, max: 604800 });
    expect(validitySeconds(undefined, target)).toBe(DEFAULT_VALIDITY_SECONDS);
    expect(validitySeconds("1", target)).toBe(1);
    expect(validitySeconds("604800", target)).toBe(604800);
    expect(codeOf(() => validitySeconds("604801", target))).toBe("connect.validity");
    expect(codeOf(() => validitySeconds("0s", target))).toBe("connect.validity");
  });

  it("a stack reporting several fleets needs --fleet: connect.no-fleet naming them, no URL requested", async () => {
    const api = fakeApi({ ListAssociatedFleets: () => ({ Names: ["a", "b"] }) });
    const err = await CONNECT_TARGETS.Stack!.request(api, { name: "s", validity: 60, user: "alice" }, "us-east-1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("connect.no-fleet");
    expect((err as AppError).message).toBe("the stack s is associated with 2 fleets (a, b); choose one with --fleet");
    expect(api.counter.snapshot().byOperation).toEqual({ ListAssociatedFleets: 1 });
  });
});
