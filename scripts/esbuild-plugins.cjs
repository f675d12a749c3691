'use strict';
/**
 * The esbuild plugins of the functions' bundles, in one list for every build of them:
 * serverless.yml's custom.esbuild.plugins (serverless package, npm start) and
 * scripts/lib/bundle.ts (the tests' local stacks, the bench, the bundle tests).
 *
 * `webauthn-tree-shaking`: @simplewebauthn/server's ES modules run no code of their own when
 * imported, but its package does not say so (no `sideEffects` field), and its helpers import
 * their own index, which re-exports every helper: the certificate path checks of attestation
 * and metadata among them, with @peculiar/x509, tsyringe and reflect-metadata. esbuild then kept
 * all of it in any bundle that checks a passkey. Marked free of side effects, a module of the
 * library stays in a bundle only when something of it is used: the sign-in with a passkey
 * (an assertion: no certificates) drops the certificate code (passkey-post 521 → 334 KB, its
 * first require about 45 ms shorter), and the registration keeps what attestation needs. The
 * library's two bare imports of reflect-metadata are in modules that only attestation uses:
 * they stay with them.
 */
const LIBRARY_MODULE = /[\\/]node_modules[\\/]@simplewebauthn[\\/]server[\\/]esm[\\/]/;

/** @type {import('esbuild').Plugin} */
const webauthnTreeShaking = {
  name: 'webauthn-tree-shaking',
  setup(build) {
    build.onResolve({ filter: /^(\.|@simplewebauthn\/server$)/ }, async (args) => {
      if (args.pluginData === webauthnTreeShaking) return undefined;
      const fromLibrary = LIBRARY_MODULE.test(args.importer);
      if (!fromLibrary && args.path !== '@simplewebauthn/server') return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: webauthnTreeShaking,
      });
      if (resolved.errors.length > 0 || !LIBRARY_MODULE.test(resolved.path)) return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

module.exports = [webauthnTreeShaking];
