/** `appstreamctl emulator` — arrives with issue #3; until then it says so plainly and exits 1. */
import { AppError } from "../../core/errors.js";
import type { Handler } from "../program.js";

export const emulatorCommand: Handler = async () => {
  throw new AppError("cli.unavailable", "`emulator` is not available in this build yet (issue #3)");
};
