/**
 * PROTO-11: an operation answers only the errors its model lists, plus the protocol's common ones. The server
 * turns any other error into InternalFailure and every in-process test fails on it at close (helpers.ts);
 * this file also sweeps every operation with inputs generated from the model.
 */
import { describe, expect, test } from "vitest";
import { ApiError, COMMON_ERRORS, modeledOrBug } from "../../src/emulator/errors.js";
import type { ModelShape } from "../../src/emulator/model.js";
import { OPERATIONS, SHAPES } from "../../src/emulator/model.gen.js";
import { OPS } from "../../src/emulator/ops.js";
import { compilePattern } from "../../src/emulator/validate.js";
import { calls, rawCall, useEmulator } from "./helpers.js";

/** Strings tried, in order, for a string shape: the first that meets its enum, length and pattern wins. */
const STRING_POOL = [
  "x1", "ami-12345678", "arn:aws:iam::123456789012:role/r", "123456789012", "us-west-2", "user@example.com",
  "wsi-12345678", "00000000-0000-4000-8000-000000000000", "https://example.com", "example.com", "stream.standard.small",
];

function sample(shapeName: string, all: boolean, depth = 0): unknown {
  const s = SHAPES[shapeName] as ModelShape;
  switch (s.type) {
    case "string": {
      if (s.enum) return s.enum[0];
      const fits = (v: string) =>
        [...v].length >= (s.min ?? 0) && [...v].length <= (s.max ?? Infinity) && (s.pattern === undefined || compilePattern(s.pattern).test(v));
      return STRING_POOL.find(fits) ?? "x".repeat(Math.max(1, s.min ?? 1));
    }
    case "integer":
    case "long":
      return s.min !== undefined && s.min > 1 ? s.min : 1;
    case "boolean":
      return false;
    case "timestamp":
      return 0;
    case "blob":
      return "";
    case "list":
      return depth > 4 ? [] : Array.from({ length: Math.max(1, s.min ?? 1) }, () => sample(s.member, all, depth + 1));
    case "map":
      return { k1: sample(s.value, all, depth + 1) };
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [member, ref] of Object.entries(s.members)) {
        if ((all && depth < 4) || s.required?.includes(member)) out[member] = sample(ref, all, depth + 1);
      }
      return out;
    }
  }
}

describe("modeled errors", () => {
  const emulator = useEmulator({});

  test("PROTO-11 a handler error the operation does not model becomes InternalFailure 500 naming it; modeled and common errors pass", () => {
    const bugs: string[] = [];
    const report = (b: string) => bugs.push(b);
    const notFound = new ApiError("ResourceNotFoundException", "gone", 404);
    const mapped = modeledOrBug("CreateUser", OPERATIONS.CreateUser?.errors, notFound, report) as ApiError;
    expect([mapped.type, mapped.status, mapped.message]).toEqual([
      "InternalFailure", 500, "emulator bug: CreateUser answered ResourceNotFoundException, which its model does not list (gone)",
    ]);
    expect(bugs).toEqual([mapped.message]);
    expect(modeledOrBug("DeleteUser", OPERATIONS.DeleteUser?.errors, notFound, report)).toBe(notFound);
    const invalid = new ApiError("ValidationException", "bad");
    expect(modeledOrBug("ExpireSession", OPERATIONS.ExpireSession?.errors, invalid, report)).toBe(invalid);
    expect([...COMMON_ERRORS].sort()).toEqual([
      "InternalFailure", "SerializationException", "ServiceUnavailable", "ThrottlingException", "UnknownOperationException", "ValidationException",
    ]);
    expect(bugs).toHaveLength(1);
  });

  test("PROTO-11 every operation, called with model-generated inputs (required members only, then all) twice, answers only modeled errors", async () => {
    const ops = Object.keys(OPS).sort();
    expect(ops.every((op) => OPERATIONS[op] !== undefined)).toBe(true);
    for (const round of [false, true, false, true]) {
      for (const op of ops) {
        const input = sample(OPERATIONS[op]!.input!, round);
        await rawCall(emulator().emu.url, `PhotonAdminProxyService.${op}`, JSON.stringify(input));
      }
    }
    const log = await calls(emulator().emu.url);
    expect(log).toHaveLength(ops.length * 4);
    const unmodeled = log.filter((c) => c.outcome !== "ok" && !COMMON_ERRORS.has(c.outcome) && !OPERATIONS[c.operation]!.errors.includes(c.outcome));
    expect(unmodeled).toEqual([]);
    expect(log.filter((c) => c.outcome === "InternalFailure")).toEqual([]);
    expect(emulator().emu.calls.unmodeled).toEqual([]);
    // The sweep reaches the handlers, not only validation: some calls succeed and some fail on state.
    expect(log.filter((c) => c.outcome === "ok").length).toBeGreaterThan(ops.length / 2);
    expect(new Set(log.map((c) => c.outcome)).size).toBeGreaterThan(4);
  });
});
