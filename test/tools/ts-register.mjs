// `node --import ./test/tools/ts-register.mjs file.ts`: registers ts-hooks.mjs so the child runs TypeScript sources.
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
