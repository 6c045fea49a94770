/**
 * Jest for `make reliability`: the runbook backend's own test configuration (transforms,
 * environment), rooted here so that `make test` (which runs the workspace packages) never
 * picks these long suites up.
 */
const path = require('node:path');

module.exports = (async () => {
  const cwd = process.cwd();
  // The Backstage CLI derives a package's configuration from the working directory.
  process.chdir(path.resolve(__dirname, '../plugins/runbook-backend'));
  let config;
  try {
    config = await require('@backstage/cli/config/jest');
  } finally {
    process.chdir(cwd);
  }
  return {
    ...config,
    displayName: 'reliability',
    rootDir: __dirname,
    roots: [__dirname],
    testMatch: ['<rootDir>/**/*.test.ts'],
    // One suite at a time: each starts backends, sandboxes and a load of its own.
    maxWorkers: 1,
  };
})();
