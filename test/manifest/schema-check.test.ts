/** ajv output reduced to one issue per mistake, on small schemas that exercise each combinator path. */
import { describe, expect, it } from "vitest";
import { checkSchema } from "../../src/manifest/schema-check.js";

const none = new Set<string>();
const noSecret = (): boolean => false;
const check = (schema: Record<string, unknown>, value: unknown) =>
  checkSchema(value, { type: "object", additionalProperties: false, properties: schema }, none, noSecret).map((i) => ({ code: i.code, pointer: i.pointer, message: i.message }));

describe("combinator collapse", () => {
  const idle = { anyOf: [{ const: 0 }, { type: "integer", minimum: 60, maximum: 36000 }] };

  it("joins alternatives that fit the value's type into one 'must be X, or Y' range problem", () => {
    expect(check({ idle }, { idle: 30 })).toEqual([{ code: "schema.range", pointer: "/idle", message: "idle must be `0`, or between 60 and 36000 (got 30)" }]);
    expect(check({ idle }, { idle: 0 })).toEqual([]);
    expect(check({ idle }, { idle: 60 })).toEqual([]);
  });

  it("reports the types of all alternatives when none fits", () => {
    const v = { oneOf: [{ type: "string" }, { type: "object" }] };
    expect(check({ v }, { v: 5 })).toEqual([{ code: "schema.type", pointer: "/v", message: "v must be a string or a mapping" }]);
  });

  it("follows the branch the value evidently meant, down to its own problem", () => {
    const v = { oneOf: [{ type: "string", enum: ["A"] }, { type: "object", additionalProperties: false, properties: { p: { type: "string" } } }] };
    expect(check({ v }, { v: { q: "x" } }).map((i) => i.code)).toEqual(["schema.unknown-field"]);
    expect(check({ v }, { v: "B" }).map((i) => i.code)).toEqual(["schema.enum"]);
  });

  it("prefers the alternative whose errors reach deepest when several fit the type", () => {
    const v = {
      anyOf: [
        { type: "object", required: ["a"] },
        { type: "object", properties: { b: { type: "object", properties: { c: { type: "integer" } } } } },
      ],
    };
    expect(check({ v }, { v: { b: { c: "x" } } })).toEqual([{ code: "schema.type", pointer: "/v/b/c", message: "v.b.c must be a whole number, not a string" }]);
  });

  it("says when a value matches more than one alternative of oneOf", () => {
    const v = { oneOf: [{ type: "integer" }, { type: "number" }] };
    expect(check({ v }, { v: 3 }).map((i) => i.code)).toEqual(["schema.one-of"]);
  });

  it("collapses each value of a map separately", () => {
    const m = { type: "object", additionalProperties: { oneOf: [{ type: "string", enum: ["ON"] }, { type: "integer" }] } };
    expect(check({ m }, { m: { a: "off", b: true } }).map((i) => [i.code, i.pointer])).toEqual([
      ["schema.enum", "/m/a"],
      ["schema.type", "/m/b"],
    ]);
  });

  it("drops problems under pointers whose interpolation already failed, and never shows a secret", () => {
    const schema = { type: "object", properties: { pw: { type: "string", maxLength: 3 }, n: { type: "string", pattern: "^a" } } };
    expect(checkSchema({ pw: "secret", n: "${env:X}" }, schema, new Set(["/n"]), (p) => p === "/pw").map((i) => i.message)).toEqual([
      "pw must be at most 3 characters (6 given)",
    ]);
    expect(checkSchema({ pw: 5 }, { type: "object", properties: { pw: { enum: ["a", "b"] } } }, none, () => true).map((i) => i.message)).toEqual([
      "pw must be one of a, b",
    ]);
  });
});
