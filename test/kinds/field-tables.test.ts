/**
 * Declared modes must be real: every field of every kind's table is compared (or its table says how it
 * is seen otherwise), and every optional field says what removing it does — checked by iterating the
 * tables, so a field added later is covered without a new test.
 */
import { describe, expect, it } from "vitest";
import { compareFields, heldForm } from "../../src/core/diff.js";
import { compareWritten, WRITTEN_TAG, writtenTag } from "../../src/core/written.js";
import type { FieldDef } from "../../src/kinds/contract.js";
import type { Kind } from "../../src/kinds/kind.js";
import { ALL_KINDS, LISTED_KINDS } from "../../src/kinds/index.js";
import type { JsonSchema } from "../../src/kinds/schema-dsl.js";

/** The `variant`-th example value of a schema (0 and 1 differ wherever the schema allows two values). */
function example(schema: JsonSchema, variant: number): unknown {
  if (Array.isArray(schema.oneOf)) return example(schema.oneOf[0] as JsonSchema, variant);
  if (Array.isArray(schema.enum)) return schema.enum[variant % schema.enum.length];
  // An open enum's known values (schema-dsl openEnum).
  if (Array.isArray(schema.examples) && schema.examples.length > 1) return schema.examples[variant % schema.examples.length];
  switch (schema.type) {
    case "boolean": return variant % 2 === 1;
    case "integer": return ((schema.minimum as number | undefined) ?? 1) + variant + 1;
    case "string": return `v${variant}x`;
    case "array": return [example(schema.items as JsonSchema, variant)];
    case "object": {
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const names = (schema.propertyNames as { enum?: string[] } | undefined)?.enum;
      if (names) return { [names[0]!]: example(schema.additionalProperties as JsonSchema, variant) };
      const required = (schema.required as string[] | undefined) ?? [];
      const out: Record<string, unknown> = {};
      for (const r of required) out[r] = example(props[r]!, variant);
      // One optional member varies too, so that objects whose required members are single-valued differ.
      const optional = Object.keys(props).find((k) => !required.includes(k));
      if (optional) out[optional] = example(props[optional]!, variant);
      return out;
    }
    default: return `v${variant}`;
  }
}

const COMPARED = new Set(["api", "state"]);
const tableOf = (p: Kind): [string, FieldDef<any>][] => (Object.entries(p.fields) as [string, FieldDef<any>][]).filter(([, d]) => COMPARED.has(d.role));
const modeOf = (def: FieldDef<any>, spec: Record<string, unknown>) => (typeof def.mode === "function" ? def.mode(spec) : def.mode);

/** Whether changing `field` from live `before` to desired `after` is seen by the planner's comparison. */
function seen(p: Kind, field: string, def: FieldDef<any>, after: unknown, before: unknown): boolean {
  if (def.remembered) {
    const tags = { [WRITTEN_TAG]: writtenTag(p.fields, { [field]: before })! };
    return compareWritten(p, { [field]: after }, tags).changes.some((c) => c.field === field);
  }
  const desired: Record<string, unknown> = after === undefined ? {} : { [field]: after };
  let live: Record<string, unknown> = { [field]: def.readBack && before !== undefined ? def.readBack(before) : before };
  const proj = p.project?.(desired, live) ?? { desired, live };
  live = proj.live;
  return compareFields(p.fields, proj.desired, live).changes.some((c) => c.field === field);
}

describe("every field of every kind's table is compared", () => {
  for (const p of ALL_KINDS) {
    for (const [field, def] of tableOf(p)) {
      const a = example(def.schema as JsonSchema, 0);
      const b = example(def.schema as JsonSchema, 1);
      if (JSON.stringify(a) === JSON.stringify(b)) continue; // a single allowed value cannot change
      it(`${p.kind}.${field}: a changed value is a planned change`, () => {
        if (modeOf(def, {}) === "write-only" && !def.readBack) {
          // Never returned and not remembered: the table must say why its removal or change is not applied.
          expect(def.removal).toMatchObject({ keep: expect.any(String) });
          return;
        }
        expect(seen(p, field, def, a, b)).toBe(true);
        expect(seen(p, field, def, b, a)).toBe(true);
      });
    }
  }
});

/**
 * Fields that `unset` without being created again: a membership the kind undoes with a call of its own
 * (an app block builder's association is dropped by DisassociateAppBlockBuilderAppBlock while it is stopped).
 */
const UNSET_BY_OWN_CALL = new Set(["AppBlockBuilder.appBlock"]);

describe("every optional field says what removing it does", () => {
  for (const kind of LISTED_KINDS) {
    const p = kind as Kind;
    for (const [field, def] of tableOf(p)) {
      if ((kind.required as readonly string[]).includes(field)) continue;
      it(`${kind.kind}.${field}`, () => {
        const declared = def.awsDefault !== undefined || def.clear !== undefined || def.removal !== undefined;
        expect(declared, `${kind.kind}.${field} needs awsDefault, clear or removal`).toBe(true);
        if ((def.removal === "unset" && !UNSET_BY_OWN_CALL.has(`${kind.kind}.${field}`)) || def.remembered) expect(modeOf(def, {})).toBe("replace");
        if (typeof def.removal === "object") return;
        // Removed while live holds a value other than the default: the plan restores the default.
        const candidates = [example(def.schema as JsonSchema, 0), example(def.schema as JsonSchema, 1)];
        const held = JSON.stringify(heldForm(def, def.awsDefault));
        const other = candidates.find((v) => JSON.stringify(heldForm(def, v)) !== held);
        if (other === undefined) return;
        expect(seen(p, field, def, undefined, other)).toBe(true);
      });
    }
  }
});
