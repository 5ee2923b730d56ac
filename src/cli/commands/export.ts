/** `appstreamctl export` — arrives with issue #7; until then it says so plainly and exits 1. */
import { AppError } from "../../core/errors.js";
import type { Handler } from "../program.js";

export const exportCommand: Handler = async () => {
  throw new AppError("cli.unavailable", "`export` is not available in this build yet (issue #7)");
};
