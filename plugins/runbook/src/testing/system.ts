import type { Entity } from '@backstage/catalog-model';
import { fakeRunbookApi } from './fakeRunbookApi';
import { incident } from './incidents';

export const SYSTEM_REF = 'system:default/media';

/** A Component as the catalog returns it: `partOf` derived from `spec.system`. */
export function systemComponent(
  name: string,
  title: string,
  options: { system?: string; kubernetes?: boolean } = {},
): Entity {
  const { system = SYSTEM_REF, kubernetes = true } = options;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      title,
      annotations: kubernetes ? { 'backstage.io/kubernetes-id': name } : {},
    },
    spec: { type: 'service', lifecycle: 'production', system },
    relations: [{ type: 'partOf', targetRef: system }],
  };
}

/** The Media System, with a `hasPart` relation to each of `parts`. */
export function mediaSystem(parts: Entity[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'media', namespace: 'default', title: 'Media' },
    spec: { owner: 'group:default/team-media' },
    relations: parts.map(part => ({
      type: 'hasPart',
      targetRef: `component:default/${part.metadata.name}`,
    })),
  };
}

/**
 * Media's services (one without a Kubernetes workload) and a service of another system,
 * which the System cards must leave out.
 */
export const mediaComponents = [
  systemComponent('media-upload', 'Media Upload'),
  systemComponent('media-transcode', 'Media Transcode'),
  systemComponent('media-thumbnails', 'Media Thumbnails'),
  systemComponent('media-docs', 'Media Docs', { kubernetes: false }),
];
export const checkout = systemComponent('checkout', 'Checkout', {
  system: 'system:default/payments',
});

/** What the System cards read: media-upload down, one open incident. */
export const systemCardsApi = () =>
  fakeRunbookApi({
    getHealthOverview: jest.fn(async () => ({
      items: [
        {
          entityRef: 'component:default/media-upload',
          status: 'down' as const,
          reasons: [],
        },
      ],
    })),
    listIncidents: jest.fn(async () => ({ items: [incident()] })),
  });
