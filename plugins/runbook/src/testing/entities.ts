import type { Entity } from '@backstage/catalog-model';

/** The catalog entity of media-upload, a service with a Kubernetes workload. */
export const mediaUpload: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'media-upload',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'media-upload' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-media',
    system: 'media',
  },
};
