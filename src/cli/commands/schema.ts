/** `appstreamctl schema` — prints the JSON Schema generated from the kinds (the same one `validate` uses). */
import { manifestSchema } from "../../kinds/index.js";
import type { Handler } from "../io.js";

export const schemaCommand: Handler = async ({ io }) => {
  io.stdout.write(JSON.stringify(manifestSchema(), null, 2) + "\n");
  return 0;
};
