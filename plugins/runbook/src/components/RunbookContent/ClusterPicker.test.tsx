import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import { mediaUpload } from '../../testing/entities';
import {
  fakeRunbookApi,
  resolution,
  run,
  SERVICE_REF,
} from '../../testing/fakeRunbookApi';
import { RunbookContent } from './RunbookContent';

const diff = {
  dryRun: true as const,
  action: 'scale' as const,
  diff: [
    {
      kind: 'Deployment',
      name: 'media-upload',
      namespace: 'nexus-media',
      operation: 'update' as const,
      changes: [{ path: 'spec.replicas', before: 3, after: 4 }],
    },
  ],
};

function renderTab(api: ReturnType<typeof fakeRunbookApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={mediaUpload}>
        <RunbookContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('RunbookContent for a service in several clusters', () => {
  it('picks the cluster, shows its runbook and runs there', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async (_ref, options?: { cluster?: string }) =>
        resolution({
          cluster: options?.cluster ?? 'east',
          clusters: ['east', 'west'],
        }),
      ),
      dryRun: jest.fn(async () => diff),
      startRun: jest.fn(async () => ({ run: run(), replayed: false })),
      getRun: jest.fn(async () => run()),
    });
    renderTab(api);

    const picker = await screen.findByRole('combobox', { name: 'Cluster' });
    expect(picker).toHaveValue('east');
    expect(
      within(picker)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['east', 'west']);
    expect(api.getRunbook).toHaveBeenCalledWith(SERVICE_REF);

    await user.selectOptions(picker, 'west');
    await waitFor(() =>
      expect(api.getRunbook).toHaveBeenLastCalledWith(SERVICE_REF, {
        cluster: 'west',
      }),
    );
    expect(
      await screen.findByRole('combobox', { name: 'Cluster' }),
    ).toHaveValue('west');

    await user.click(await screen.findByRole('button', { name: /^Scale/ }));
    const form = screen.getByRole('form', { name: 'Scale' });
    await user.type(
      within(form).getByRole('spinbutton', { name: /Replicas/ }),
      '4',
    );
    await user.click(
      within(form).getByRole('button', { name: 'Review scale' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(/^Dry run against west\/nexus-media/),
    ).toBeInTheDocument();
    expect(api.dryRun).toHaveBeenCalledWith(SERVICE_REF, {
      action: 'scale',
      input: { replicas: 4 },
      cluster: 'west',
    });
    await within(dialog).findByText('spec.replicas');
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() =>
      expect(api.startRun).toHaveBeenCalledWith(
        SERVICE_REF,
        { action: 'scale', input: { replicas: 4 }, cluster: 'west' },
        { idempotencyKey: expect.any(String) },
      ),
    );
  });

  it('shows no picker and names no cluster when the service runs in one', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution({ clusters: ['east'] })),
      dryRun: jest.fn(async () => diff),
    });
    renderTab(api);
    await user.click(await screen.findByRole('button', { name: /^Scale/ }));
    expect(
      screen.queryByRole('combobox', { name: 'Cluster' }),
    ).not.toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Scale' });
    await user.type(
      within(form).getByRole('spinbutton', { name: /Replicas/ }),
      '4',
    );
    await user.click(
      within(form).getByRole('button', { name: 'Review scale' }),
    );
    await screen.findByRole('dialog');
    expect(api.dryRun).toHaveBeenCalledWith(SERVICE_REF, {
      action: 'scale',
      input: { replicas: 4 },
    });
  });
});
