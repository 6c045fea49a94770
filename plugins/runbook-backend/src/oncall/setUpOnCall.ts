import {
  AuthService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { RunbookOnCallProvider } from '@nexus-cos/plugin-runbook-node';
import { CatalogContacts } from './CatalogContacts';
import { OnCallService } from './OnCallService';
import { createOnCallRouter } from './router';

/** The contacts lookup (shared with incidents) and the on-call endpoints. */
export function setUpOnCall(deps: {
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
  provider?: RunbookOnCallProvider;
}) {
  const contacts = new CatalogContacts(deps);
  const oncall = new OnCallService({ catalog: deps.catalog, contacts });
  return {
    contacts,
    service: oncall,
    router: createOnCallRouter({ httpAuth: deps.httpAuth, oncall }),
  };
}
