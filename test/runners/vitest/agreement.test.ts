// The vitest adapter agrees with vitest's own JSON reporter on every fixture.
import { runJsAgreement } from "../js/agreement.js";

runJsAgreement("vitest");
