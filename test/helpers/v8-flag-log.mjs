// v8-flag-log: an --import preload that appends every flag given to v8.setFlagsFromString to $REDGREEN_TEST_V8_FLAG_LOG.
import { appendFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import v8 from "node:v8";

const original = v8.setFlagsFromString;
v8.setFlagsFromString = (flags) => {
  appendFileSync(process.env.REDGREEN_TEST_V8_FLAG_LOG, `${flags}\n`);
  original(flags);
};
// `import { setFlagsFromString } from "node:v8"` sees the patched function too.
syncBuiltinESMExports();
