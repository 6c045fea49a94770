import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { DiagnosticsReport } from '@nexus-cos/plugin-runbook-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import { fakeRunbookApi, run, SERVICE_REF } from '../../testing/fakeRunbookApi';
import { DiagnosticsCard } from './DiagnosticsCard';

const report: DiagnosticsReport = {
  kind: 'diagnostics',
  verdict: 'fail',
  checkedAt: '2026-12-01T10:00:00Z',
  checks: [
    {
      id: 'resources',
      entityRef: SERVICE_REF,
      title: 'CPU and memory against limits',
      status: 'ok',
      evidence: ['Every pod is below 80% of its CPU and memory limits'],
    },
    {
      id: 'pods',
      entityRef: SERVICE_REF,
      title: 'Deployment and pods',
      status: 'fail',
      evidence: [
        'Deployment media-upload (blue): 1/2 ready, rollout in progress',
        'media-upload-7c9-x1: ImagePullBackOff, 0 restarts',
      ],
      troubleshooting: {
        title: 'Pods Not Starting',
        steps: [
          {
            title: 'Check pod status',
            command: 'kubectl describe pods -n nexus-media -l app=media-upload',
          },
        ],
        fixAction: 'rollback',
      },
    },
    {
      id: 'dependency',
      entityRef: 'resource:default/nexus-db',
      title: 'Dependency resource:default/nexus-db',
      status: 'ok',
      evidence: ['PostgreSQL: connected, SELECT 1 answered'],
    },
  ],
  skipped: ['metrics: Prometheus not configured'],
};

describe('DiagnosticsCard', () => {
  it('runs diagnostics and shows the report: failures first, checklist, and the fix', async () => {
    const api = fakeRunbookApi({
      startRun: jest.fn(async () => ({
        run: run({ action: 'diagnostics', input: {}, status: 'pending' }),
        replayed: false,
      })),
      getRun: jest.fn(async () =>
        run({
          action: 'diagnostics',
          input: {},
          status: 'succeeded',
          finishedAt: '2026-12-01T10:00:05Z',
          result: report,
        }),
      ),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <DiagnosticsCard entityRef={SERVICE_REF} />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Run diagnostics' }),
    );
    expect(api.startRun).toHaveBeenCalledWith(
      SERVICE_REF,
      { action: 'diagnostics', input: {} },
      { idempotencyKey: expect.any(String) },
    );
    const view = await screen.findByLabelText('Diagnostics report');
    expect(within(view).getByText('Diagnosis:')).toBeInTheDocument();
    const checks = within(view).getAllByRole('listitem', {
      name: /: (ok|warn|fail)$/,
    });
    // The service's checks first, its failure before what passed, then the dependency.
    expect(checks.map(c => c.getAttribute('aria-label'))).toEqual([
      'Deployment and pods: fail',
      'CPU and memory against limits: ok',
      'Dependency resource:default/nexus-db: ok',
    ]);
    expect(
      within(checks[0]).getByText(
        'media-upload-7c9-x1: ImagePullBackOff, 0 restarts',
      ),
    ).toBeInTheDocument();
    expect(
      within(checks[0]).getByLabelText('Pods Not Starting checklist'),
    ).toHaveTextContent(
      'Check pod status: kubectl describe pods -n nexus-media -l app=media-upload',
    );
    expect(
      within(checks[0]).getByRole('link', { name: 'Roll back' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/media-upload/runbook?action=rollback',
    );
    expect(
      screen.getByText('Not checked: metrics: Prometheus not configured'),
    ).toBeInTheDocument();
  });

  it('shows why diagnostics could not start', async () => {
    const api = fakeRunbookApi({
      startRun: jest.fn(async () => {
        throw new Error('You are not allowed to do this (runbook.action.read)');
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <DiagnosticsCard entityRef={SERVICE_REF} />
      </TestApiProvider>,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Run diagnostics' }),
    );
    expect(
      await screen.findByText(
        'Error: You are not allowed to do this (runbook.action.read)',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Diagnostics report')).toBeNull();
  });
  it('runs diagnostics in the cluster picked when the service runs in several', async () => {
    const api = fakeRunbookApi({
      startRun: jest.fn(async () => ({
        run: run({ action: 'diagnostics', input: {}, status: 'pending' }),
        replayed: false,
      })),
      getRun: jest.fn(async () =>
        run({ action: 'diagnostics', input: {}, status: 'running' }),
      ),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <DiagnosticsCard entityRef={SERVICE_REF} clusters={['east', 'west']} />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const picker = screen.getByRole('combobox', { name: 'Cluster' });
    expect(picker).toHaveValue('east');
    await userEvent.selectOptions(picker, 'west');
    await userEvent.click(
      screen.getByRole('button', { name: 'Run diagnostics' }),
    );
    expect(api.startRun).toHaveBeenCalledWith(
      SERVICE_REF,
      { action: 'diagnostics', input: {}, cluster: 'west' },
      { idempotencyKey: expect.any(String) },
    );
  });
});
