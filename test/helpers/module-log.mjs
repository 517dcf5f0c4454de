// module-log: an --import preload that appends each resolved module file URL to the file in $REDGREEN_TEST_MODULE_LOG.
import { register } from "node:module";

register("./module-log-hooks.mjs", import.meta.url, { data: process.env.REDGREEN_TEST_MODULE_LOG });
