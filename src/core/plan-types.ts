/** The plan's data types live in the leaf module src/model/ (no imports back into core, kinds or engine). */
export * from "../model/plan.js";
