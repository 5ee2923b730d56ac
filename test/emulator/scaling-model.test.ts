import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { generateScalingModel } from "../../scripts/gen-scaling-model.js";

const MODEL = fileURLToPath(new URL("../../../shared/reference/botocore-more/application-autoscaling/service-2.json", import.meta.url));
const COMMITTED = fileURLToPath(new URL("../../src/emulator/scaling-model.gen.ts", import.meta.url));
const haveModel = existsSync(MODEL);

describe("src/emulator/scaling-model.gen.ts", () => {
  test.skipIf(!haveModel)(
    `SCALE-01 the validation tables are exactly what scripts/gen-scaling-model.ts generates from the botocore model${haveModel ? "" : ` (skipped: ${MODEL} not found)`}`,
    () => {
      // On failure: `npm run build && node dist/scripts/gen-scaling-model.js`, then commit the result.
      expect(readFileSync(COMMITTED, "utf8")).toBe(generateScalingModel(JSON.parse(readFileSync(MODEL, "utf8"))));
    },
  );
});
