import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { NexusCosPolicy } from './NexusCosPolicy';
import { CatalogOnCallLookup } from './CatalogOnCallLookup';

/** Installs the Nexus COS permission policy into the permission backend. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'nexus-cos-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ policy, userInfo, auditor, auth, catalog }) {
        policy.setPolicy(
          new NexusCosPolicy({
            userInfo,
            auditor,
            onCall: new CatalogOnCallLookup(catalog, auth),
          }),
        );
      },
    });
  },
});
