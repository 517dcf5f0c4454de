// The node standby's resolve hook (module.register): notes every file the standby resolves, and lists them when asked.
// It changes no resolution: each specifier resolves as the hooks after it (Node's own) resolve it.

/** The file URLs resolved so far, in order. */
const resolved = new Set();

/** Called once by module.register with the standby's port: a message on it asks for the list, the answer is the list. */
export function initialize({ port }) {
  port.on("message", () => port.postMessage([...resolved]));
  port.unref();
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (result.url.startsWith("file:")) resolved.add(result.url);
  return result;
}
