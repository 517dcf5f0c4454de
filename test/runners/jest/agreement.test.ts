// The jest adapter agrees with jest's own JSON report on every fixture.
import { runJsAgreement } from "../vitest/js-agreement.js";

runJsAgreement("jest");
