'use strict';
/**
 * A local serverless plugin for the tests' and the load script's local stacks: with
 * OFFLINE_PREBUILT=true (set by scripts/lib/offline.ts, which has copied the functions' bundles
 * into the stack's build folder, scripts/lib/offline-bundles.ts), serverless-esbuild builds no
 * function again under `serverless offline`: it skips every function marked `skipEsbuild`, its own
 * per-function switch. It still copies the extras (catalogs, brand files, the passkey script)
 * and points serverless offline at the build folder. Nothing changes without the variable
 * (`npm start`, which rebuilds on every edit, and `serverless package`).
 */
class PrebuiltFunctions {
  constructor(serverless) {
    this.hooks = {};
    if (process.env.OFFLINE_PREBUILT !== 'true') return;
    // `initialize` runs before every command's own steps, serverless-esbuild's builds among them.
    this.hooks.initialize = () => {
      for (const definition of Object.values(serverless.service.functions ?? {})) {
        definition.skipEsbuild = true;
      }
    };
  }
}

module.exports = PrebuiltFunctions;
