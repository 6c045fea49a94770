import {
  AuthService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { RunbookOnCallProvider } from '@nexus-cos/plugin-runbook-node';
import { CatalogContacts } from './CatalogContacts';
import { OnCallService } from './OnCallService';
import { OrgSnapshot } from './OrgSnapshot';
import { createOnCallRouter } from './router';

/**
 * The contacts lookup (shared with incidents) and the on-call endpoints. The organisation
 * snapshot is read once the backend has started and every
 * `runbook.oncall.orgRefreshSeconds`.
 */
export function setUpOnCall(deps: {
  config: Config;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  provider?: RunbookOnCallProvider;
}) {
  const org = new OrgSnapshot({
    ...deps,
    refreshMs:
      (deps.config.getOptionalNumber('runbook.oncall.orgRefreshSeconds') ??
        30) * 1000,
  });
  // Once the backend serves, so that the catalog can answer; a read before starts it too.
  deps.lifecycle.addStartupHook(() => org.start());
  deps.lifecycle.addShutdownHook(() => org.stop());
  const contacts = new CatalogContacts({ ...deps, org });
  const oncall = new OnCallService({ catalog: deps.catalog, contacts });
  return {
    contacts,
    service: oncall,
    router: createOnCallRouter({ httpAuth: deps.httpAuth, oncall }),
  };
}
