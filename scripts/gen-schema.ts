/**
 * Writes schema/appstream.schema.json from the kinds. Run `npm run gen:schema` after changing a kind;
 * test/kinds/schema.test.ts fails while the committed file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { manifestSchema } from "../src/kinds/index.js";

/** The exact text of the committed schema file. */
export function schemaText(): string {
  return JSON.stringify(manifestSchema(), null, 2) + "\n";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = new URL("../../schema/appstream.schema.json", import.meta.url);
  writeFileSync(target, schemaText());
  process.stdout.write(`wrote ${fileURLToPath(target)}\n`);
}
