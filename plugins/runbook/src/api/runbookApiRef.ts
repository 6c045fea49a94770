import { createApiRef } from '@backstage/frontend-plugin-api';
import type { RunbookClient } from '@nexus-cos/plugin-runbook-common';

/**
 * The runbook backend's API as the frontend uses it: the public surface of
 * `RunbookClient`, so tests can pass a plain object (the class has private fields).
 * @public
 */
export type RunbookApi = Pick<RunbookClient, keyof RunbookClient>;

/**
 * Reference to the {@link RunbookApi}, shared by both frontend systems.
 * @public
 */
export const runbookApiRef = createApiRef<RunbookApi>().with({
  id: 'plugin.runbook.client',
  pluginId: 'runbook',
});
