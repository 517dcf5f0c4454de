// The jest adapter agrees with jest's own JSON report on every fixture.
import { runJsAgreement } from "../js/agreement.js";

runJsAgreement("jest");
