/**
 * Loads node-llama-cpp, which is ESM-only, from the CommonJS server bundle.
 *
 * esbuild keeps `import()` of an external module as a real dynamic import,
 * so Node resolves the package from the bundle's own location at run time
 * (the VSIX's node_modules when installed, the repository's in development).
 * Loading is lazy: the language features never wait for it.
 */
export type NodeLlamaCpp = typeof import('node-llama-cpp');

let loading: Promise<NodeLlamaCpp> | undefined;

export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  loading ??= import('node-llama-cpp').catch((error: unknown) => {
    loading = undefined; // let a later attempt retry (e.g. after a reinstall)
    throw error;
  });
  return loading;
}
