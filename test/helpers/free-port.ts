// A loopback port that was free a moment ago: for a server the test starts, or as a port nothing listens on.
import { createServer } from "node:net";

/** Binds an ephemeral loopback port and releases it. */
export const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
