// The vitest adapter on its fixture projects.
import { runJsAdapterCases } from "../js/adapter-cases.js";

// vitest maps v8 coverage onto statements: the three of clamp() are missing, the two returns of add() and mul() covered.
runJsAdapterCases("vitest", { coveredLines: 2, totalLines: 5, missingLines: [11, 12, 13] });
