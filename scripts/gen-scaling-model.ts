/**
 * Writes `src/emulator/scaling-model.gen.ts`: the request-validation tables of the emulator's Application
 * Auto Scaling service, from its botocore model (`../shared/reference/botocore-more/application-autoscaling`),
 * with the same generator as AppStream's tables. The model states no limits only in prose that the
 * emulator enforces, so none are folded in.
 *
 * Run after `npm run build` as `node dist/scripts/gen-scaling-model.js [modelPath]` from the repository root.
 * `test/emulator/scaling-model.test.ts` regenerates in memory and fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { generateEmulatorModel } from "./gen-emulator-model.js";

export const SCALING_MODEL_PATH = "../shared/reference/botocore-more/application-autoscaling/service-2.json";
export const SCALING_OUTPUT_PATH = "src/emulator/scaling-model.gen.ts";

/** The source text of `scaling-model.gen.ts` for a parsed botocore model. */
export function generateScalingModel(model: unknown): string {
  return generateEmulatorModel(model, {}, { service: "Application Auto Scaling", script: "gen-scaling-model" });
}

function main(argv: string[]): void {
  const modelPath = resolve(argv[0] ?? SCALING_MODEL_PATH);
  writeFileSync(resolve(SCALING_OUTPUT_PATH), generateScalingModel(JSON.parse(readFileSync(modelPath, "utf8"))));
  process.stderr.write(`wrote ${SCALING_OUTPUT_PATH} from ${modelPath}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
