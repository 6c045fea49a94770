// Not a package Backstage builds, so no backstage.role: lint it as Node code.
module.exports =
  require('@backstage/cli/config/eslint-factory').createConfigForRole(
    __dirname,
    'node-library',
  );
