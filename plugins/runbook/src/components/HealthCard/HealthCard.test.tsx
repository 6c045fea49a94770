import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import { mediaUpload } from '../../testing/entities';
import {
  fakeRunbookApi,
  resolution,
  SERVICE_REF,
} from '../../testing/fakeRunbookApi';
import { degradedHealth, healthyWithoutMetrics } from '../../testing/health';
import { HealthCard } from './HealthCard';

function renderCard(api: ReturnType<typeof fakeRunbookApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={mediaUpload}>
        <HealthCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('HealthCard', () => {
  it('shows a degraded service with its reason, checklist, replicas and live colour', async () => {
    const api = fakeRunbookApi({
      getHealth: jest.fn(async () => degradedHealth()),
      getRunbook: jest.fn(async () =>
        resolution({
          live: {
            colour: 'green',
            deployment: 'media-upload-green',
            replicas: 3,
            readyReplicas: 2,
            autoscaled: false,
          },
        }),
      ),
    });
    renderCard(api);

    expect(await screen.findByText('degraded')).toBeInTheDocument();
    expect(api.getHealth).toHaveBeenCalledWith(SERVICE_REF, {
      clusterToken: undefined,
    });
    expect(
      screen.getByText('Error rate 7.5 % is above 5 %'),
    ).toBeInTheDocument();
    const checklist = screen.getByRole('list', {
      name: 'High Error Rate checklist',
    });
    const steps = within(checklist).getAllByRole('listitem');
    expect(steps).toHaveLength(5);
    expect(steps[0]).toHaveTextContent(
      'Check service logs: kubectl logs -n nexus-media deployment/media-upload',
    );
    expect(
      screen.getByText(
        /2\/3 ready, 3 updated, 2 available; rollout: ReplicaSetUpdated/,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('green (media-upload-green)'),
    ).toBeInTheDocument();
  });

  it('declares an incident from a degraded reason, prefilled with the suggested severity', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getHealth: jest.fn(async () => degradedHealth()),
      getRunbook: jest.fn(async () => resolution()),
      declareIncident: jest.fn(async request => ({
        id: 'inc-9',
        ...request,
      })),
    });
    renderCard(api);

    await user.click(
      await screen.findByRole('button', { name: 'Declare incident (P1)' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Declare incident' });
    expect(within(dialog).getByLabelText(/^Title/)).toHaveValue(
      'High Error Rate: Error rate 7.5 % is above 5 %',
    );
    expect(
      within(dialog).getByRole('radio', { name: /^P1 High/ }),
    ).toBeChecked();
    expect(
      within(dialog).getByRole('radio', {
        name: /^P0 Critical: Complete service outage, data loss, security breach \(respond: Immediate\)/,
      }),
    ).not.toBeChecked();
    expect(within(dialog).getByLabelText(/^Affected entities/)).toHaveValue(
      SERVICE_REF,
    );

    await user.click(within(dialog).getByRole('button', { name: 'Declare' }));

    expect(api.declareIncident).toHaveBeenCalledWith({
      title: 'High Error Rate: Error rate 7.5 % is above 5 %',
      severity: 'P1',
      entityRefs: [SERVICE_REF],
    });
    expect(
      await screen.findByText(/Declared P1 incident inc-9/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps the dialog open with the backend refusal', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getHealth: jest.fn(async () => degradedHealth()),
      getRunbook: jest.fn(async () => resolution()),
      declareIncident: jest.fn(async () => {
        throw new Error('title: must be at most 200 characters');
      }),
    });
    renderCard(api);
    await user.click(
      await screen.findByRole('button', { name: 'Declare incident (P1)' }),
    );
    await user.click(screen.getByRole('button', { name: 'Declare' }));
    expect(
      await screen.findByText('title: must be at most 200 characters'),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a healthy service without checklist, and says metrics are not configured', async () => {
    const api = fakeRunbookApi({
      getHealth: jest.fn(async () => healthyWithoutMetrics()),
      getRunbook: jest.fn(async () => resolution()),
    });
    renderCard(api);
    expect(await screen.findByText('healthy')).toBeInTheDocument();
    expect(
      screen.getByText('metrics: Prometheus not configured'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Declare incident/ }),
    ).toBeNull();
  });

  it('offers no incident for a reason without a runbook response', async () => {
    const api = fakeRunbookApi({
      getHealth: jest.fn(async () =>
        degradedHealth({
          status: 'unknown',
          reasons: [
            {
              code: 'cache-not-synced',
              status: 'unknown',
              message: 'The cache of cluster sandbox has not synced yet',
            },
          ],
        }),
      ),
      getRunbook: jest.fn(async () => resolution()),
    });
    renderCard(api);
    expect(
      await screen.findByText(
        'The cache of cluster sandbox has not synced yet',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('unknown')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Declare incident/ }),
    ).toBeNull();
  });

  it('says so when no Deployment exists', async () => {
    const api = fakeRunbookApi({
      getHealth: jest.fn(async () => {
        const health = degradedHealth({ status: 'down' });
        // The backend read the cluster and found no Deployment of the service.
        return {
          ...health,
          workload: { ...health.workload!, deployments: [], pods: [] },
        };
      }),
      getRunbook: jest.fn(async () =>
        resolution({ live: undefined, liveError: 'no Service media-upload' }),
      ),
    });
    renderCard(api);
    expect(
      await screen.findByText(/No Deployment found in the cluster/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Live colour unknown: no Service media-upload'),
    ).toBeInTheDocument();
  });

  it('shows a skeleton while loading, then the backend error', async () => {
    let fail: (e: Error) => void = () => {};
    const api = fakeRunbookApi({
      getHealth: jest.fn(
        () =>
          new Promise((_, reject) => {
            fail = reject;
          }),
      ),
    });
    renderCard(api);
    expect(await screen.findByLabelText('Loading health')).toBeInTheDocument();
    act(() => fail(new Error('health cache not synced for sandbox')));
    expect(
      (await screen.findAllByText(/health cache not synced for sandbox/))[0],
    ).toBeInTheDocument();
  });
  it('shows each cluster of a service in several, and which one cannot be read', async () => {
    const healthy = degradedHealth();
    const inCluster = (cluster: string, ready: number) => ({
      ...healthy.workload!,
      cluster,
      deployments: [
        {
          ...healthy.workload!.deployments[0],
          replicas: 3,
          readyReplicas: ready,
        },
      ],
    });
    const unreachable = {
      code: 'cluster-unreachable' as const,
      status: 'unknown' as const,
      message: 'Cluster west could not be read: no answer within 10 s',
    };
    const api = fakeRunbookApi({
      getHealth: jest.fn(async () =>
        degradedHealth({
          status: 'unknown',
          reasons: [{ ...unreachable, cluster: 'west' }],
          workload: undefined,
          clusters: [
            {
              cluster: 'east',
              status: 'healthy',
              reasons: [],
              workload: inCluster('east', 3),
            },
            { cluster: 'west', status: 'unknown', reasons: [unreachable] },
          ],
        }),
      ),
      getRunbook: jest.fn(async () => resolution()),
    });
    renderCard(api);
    const clusters = await screen.findByRole('list', { name: 'Clusters' });
    const parts = within(clusters).getAllByRole('listitem');
    expect(parts.map(p => p.textContent)).toEqual([
      'easthealthy3/3 ready',
      'westunknown',
    ]);
    expect(
      screen.getByText('Cluster west could not be read: no answer within 10 s')
        .parentElement,
    ).toHaveTextContent(
      'west: Cluster west could not be read: no answer within 10 s',
    );
  });

  it('shows no cluster list for a service in one cluster', async () => {
    const api = fakeRunbookApi({
      getHealth: jest.fn(async () => degradedHealth()),
      getRunbook: jest.fn(async () => resolution()),
    });
    renderCard(api);
    expect(await screen.findByText('degraded')).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Clusters' }),
    ).not.toBeInTheDocument();
  });
});
