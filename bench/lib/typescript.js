/*
 * Lets plain Node require the workspace's TypeScript sources (the plugins and
 * the emulator have no build step in dev): the Backstage CLI's node
 * transform compiles them with SWC on load.
 */
let registered = false;

function registerTypeScript() {
  if (registered) return;
  for (const candidate of [
    '@backstage/cli/config/nodeTransform.cjs',
    '@backstage/cli-node/config/nodeTransform.cjs',
  ]) {
    try {
      require(candidate);
      registered = true;
      return;
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error(
    'No Backstage node transform found: is @backstage/cli installed at the root?',
  );
}

module.exports = { registerTypeScript };
