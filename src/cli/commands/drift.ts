/** `appstreamctl drift` — arrives with issue #7; until then it says so plainly and exits 1. */
import { AppError } from "../../core/errors.js";
import type { Handler } from "../program.js";

export const driftCommand: Handler = async () => {
  throw new AppError("cli.unavailable", "`drift` is not available in this build yet (issue #7)");
};
