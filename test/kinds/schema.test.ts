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
    const props = (manifestSchema().properties ?? {}) as Record<string, { items: { required: string[] }; oneOf?: [{ properties: object; required: string[] }, { const: string }] }>;
    for (const kind of LISTED_KINDS.filter((k) => !k.singleton)) {
      expect(props[kind.key]?.items.required).toContain(kind.identity);
    }
    // A singleton's key holds its one object (its name fixed, so not written) or `none`.
    expect(props.usageReports?.oneOf?.[0].required).toEqual(["schedule"]);
    expect(Object.keys(props.usageReports?.oneOf?.[0].properties ?? {})).toEqual(["schedule"]);
    expect(props.usageReports?.oneOf?.[1]).toMatchObject({ const: "none" });
    expect(Object.keys(props)).toEqual([
      "apiVersion", "metadata", "defaults", "external",
      "directoryConfigs", "images", "imageBuilders", "appBlocks", "appBlockBuilders", "fleets", "applications", "stacks", "users", "usageReports", "userGroups",
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
    // Actions AWS may add pass the schema (validate warns: rule.unknown-value); a lower-case key is no action.
    expect(validate({ ...base, stacks: [{ name: "s", userSettings: { FILE_UPLOADS: "ENABLED" } }] })).toBe(true);
    expect(validate({ ...base, stacks: [{ name: "s", userSettings: { file_upload: "ENABLED" } }] })).toBe(false);
  });
});

describe("the schema in editors", () => {
  /** Every property of the schema, with its path, wherever it is nested (objects, list items, map values). */
  function properties(schema: Record<string, any>, path = ""): [string, Record<string, any>][] {
    const out: [string, Record<string, any>][] = [];
    for (const [k, v] of Object.entries((schema.properties ?? {}) as Record<string, any>)) {
      out.push([`${path}.${k}`, v], ...properties(v, `${path}.${k}`));
    }
    for (const key of ["items", "additionalProperties"]) {
      if (schema[key] && typeof schema[key] === "object") out.push(...properties(schema[key], `${path}[]`));
    }
    for (const key of ["oneOf", "anyOf", "allOf"]) for (const alt of schema[key] ?? []) out.push(...properties(alt, path));
    return out;
  }

  it("every property has a description, and every field of a kind says how a change reaches AWS", () => {
    const all = properties(manifestSchema());
    expect(all.length).toBeGreaterThan(200);
    expect(all.filter(([, v]) => typeof v.description !== "string" || v.description.trim() === "").map(([p]) => p)).toEqual([]);
    const modes = /Changes in place|needs a stopped|Immutable: changing it replaces|Write-only|appstreamctl only|Tags: changed in place|Run state:|Association:|Identity:|ELASTIC fleets:/;
    const kindFields = all.filter(([p]) => /^\.(fleets|stacks|images|imageBuilders|appBlocks|users|userGroups|directoryConfigs)\[\]\.[^.[\]]+/.test(p));
    expect(kindFields.filter(([, v]) => !modes.test(v.description)).map(([p]) => p)).toEqual([]);
    // A fleet field whose mode depends on the fleet type spells out both cases.
    const fleet = (manifestSchema().properties as any).fleets.items.properties;
    expect(fleet.computeCapacity.description).toContain("ALWAYS_ON and ON_DEMAND fleets: changes in place (live); ELASTIC fleets: changing it needs a stopped fleet");
    expect(fleet.instanceType.description).toContain("needs a stopped fleet: a running one is stopped, updated and started again");
  });

  it("user-setting actions are properties, so editors complete them", () => {
    const settings = (manifestSchema().properties as any).stacks.items.properties.userSettings;
    expect(Object.keys(settings.properties)).toContain("CLIPBOARD_COPY_TO_LOCAL_DEVICE");
    // Other names are actions AWS may add: known ones are the `examples` of propertyNames (rule.unknown-value).
    expect(settings.propertyNames.examples).toEqual(Object.keys(settings.properties));
    expect(settings.additionalProperties.oneOf).toHaveLength(2);
  });
});
