// The jest adapter on its fixture projects.
import { runJsAdapterCases } from "../js/adapter-cases.js";

// jest's v8 provider counts every line of the file: clamp() from its first statement to its closing brace is missing.
runJsAdapterCases("jest", { coveredLines: 10, totalLines: 14, missingLines: [11, 12, 13, 14] });
