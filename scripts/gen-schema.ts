/**
 * Writes schema/appstream.schema.json from the kinds and schema/plan.schema.json from the plan format.
 * Run `npm run gen:schema` after changing either; tests fail while a committed file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { planSchema } from "../src/cli/render/plan-schema.js";
import { manifestSchema } from "../src/kinds/index.js";

/** The exact text of the committed schema file. */
export function schemaText(): string {
  return JSON.stringify(manifestSchema(), null, 2) + "\n";
}

/** The exact text of the committed plan-document schema. */
export function planSchemaText(): string {
  return JSON.stringify(planSchema(), null, 2) + "\n";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = new URL("../../schema/appstream.schema.json", import.meta.url);
  writeFileSync(target, schemaText());
  const plan = new URL("../../schema/plan.schema.json", import.meta.url);
  writeFileSync(plan, planSchemaText());
  process.stdout.write(`wrote ${fileURLToPath(target)} and ${fileURLToPath(plan)}\n`);
}
