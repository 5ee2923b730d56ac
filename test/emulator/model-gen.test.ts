import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { generateEmulatorModel } from "../../scripts/gen-emulator-model.js";

const MODEL = fileURLToPath(new URL("../../../shared/reference/botocore-appstream/service-2.json", import.meta.url));
const COMMITTED = fileURLToPath(new URL("../../src/emulator/model.gen.ts", import.meta.url));
const haveModel = existsSync(MODEL);

describe("src/emulator/model.gen.ts", () => {
  test.skipIf(!haveModel)(
    `VAL-00 is exactly what scripts/gen-emulator-model.ts generates from the botocore model${haveModel ? "" : ` (skipped: ${MODEL} not found)`}`,
    () => {
      const regenerated = generateEmulatorModel(JSON.parse(readFileSync(MODEL, "utf8")));
      // On failure: `npm run build && node dist/scripts/gen-emulator-model.js`, then commit the result.
      expect(readFileSync(COMMITTED, "utf8")).toBe(regenerated);
    },
  );

  test("VAL-00 the generator rejects something that is not a botocore model", () => {
    expect(() => generateEmulatorModel({ shapes: {} })).toThrow(/not a botocore/);
  });
});
