import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { schemaText } from "../../scripts/gen-schema.js";
import { LISTED_KINDS, manifestSchema } from "../../src/kinds/index.js";

describe("manifest schema", () => {
  it("the committed schema/appstream.schema.json is what the kinds generate (run npm run gen:schema)", () => {
    const committed = readFileSync(new URL("../../schema/appstream.schema.json", import.meta.url), "utf8");
    expect(committed).toBe(schemaText());
  });

  it("compiles under ajv strict mode", () => {
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    expect(() => ajv.compile(manifestSchema())).not.toThrow();
  });

  it("lists every kind under its key with its identity required", () => {
    const props = (manifestSchema().properties ?? {}) as Record<string, { items: { required: string[] } }>;
    for (const kind of LISTED_KINDS) {
      expect(props[kind.key]?.items.required).toContain(kind.identity);
    }
    expect(Object.keys(props)).toEqual([
      "apiVersion", "metadata", "defaults", "external",
      "directoryConfigs", "images", "imageBuilders", "fleets", "stacks", "users", "userGroups",
    ]);
  });

  it("keeps the API ranges the issue names", () => {
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    const validate = ajv.compile(manifestSchema());
    const base = { apiVersion: "appstreamctl/v1", metadata: { name: "t" } };
    const fleet = (extra: object) => ({ ...base, fleets: [{ name: "f", instanceType: "stream.standard.small", ...extra }] });
    expect(validate(fleet({ maxUserDurationInSeconds: 432000 }))).toBe(true);
    expect(validate(fleet({ maxUserDurationInSeconds: 432001 }))).toBe(false);
    expect(validate(fleet({ maxUserDurationInSeconds: 599 }))).toBe(false);
    expect(validate(fleet({ disconnectTimeoutInSeconds: 36001 }))).toBe(false);
    expect(validate(fleet({ rootVolumeConfig: { volumeSizeInGb: 199 } }))).toBe(false);
    expect(validate(fleet({ tags: { "aws:owner": "x" } }))).toBe(false);
    expect(validate(fleet({ vpcConfig: { securityGroupIds: ["1", "2", "3", "4", "5", "6"] } }))).toBe(false);
    expect(validate({ ...base, stacks: [{ name: "s", userSettings: { FILE_UPLOAD: "ENABLED" } }] })).toBe(true);
    expect(validate({ ...base, stacks: [{ name: "s", userSettings: { FILE_UPLOADS: "ENABLED" } }] })).toBe(false);
  });
});
