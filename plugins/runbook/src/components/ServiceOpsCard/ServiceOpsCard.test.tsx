import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ServiceOpsCard } from './ServiceOpsCard';

const service = (spec: Entity['spec'], annotations = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'media-upload',
    annotations: {
      'backstage.io/kubernetes-id': 'media-upload',
      'backstage.io/kubernetes-namespace': 'nexus-media',
      'nexus-cos.io/replicas': '2-10',
      ...annotations,
    },
  },
  spec,
});

describe('ServiceOpsCard', () => {
  it('shows where the service runs and flags production changes', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={service({ type: 'service', lifecycle: 'production' })}
      >
        <ServiceOpsCard />
      </EntityProvider>,
    );
    expect(screen.getByText('nexus-media')).toBeInTheDocument();
    expect(screen.getByText('2-10')).toBeInTheDocument();
    expect(
      screen.getByText('production (changes need typed confirmation)'),
    ).toBeInTheDocument();
  });

  it('says which facts the catalog does not declare', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={service({ type: 'service', lifecycle: 'experimental' })}
      >
        <ServiceOpsCard />
      </EntityProvider>,
    );
    expect(screen.getByText('experimental')).toBeInTheDocument();
    // staging namespace, tier and image repository are missing
    expect(screen.getAllByText('not set')).toHaveLength(3);
  });
});
