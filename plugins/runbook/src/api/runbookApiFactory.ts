import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { RunbookClient } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from './runbookApiRef';

/** Builds the runbook client on the app's discovery and authenticated fetch. */
export const runbookApiFactory = createApiFactory({
  api: runbookApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new RunbookClient({ discoveryApi, fetchApi }),
});
