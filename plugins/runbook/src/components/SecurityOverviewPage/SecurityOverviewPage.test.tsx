import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { runbookApiRef } from '../../api';
import { fakeRunbookApi } from '../../testing/fakeRunbookApi';
import { overview } from '../../testing/security';
import { SecurityOverviewPage } from './SecurityOverviewPage';

const renderPage = (api: ReturnType<typeof fakeRunbookApi>) =>
  renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <SecurityOverviewPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );

const rowsOf = (name: string) =>
  within(screen.getByRole('table', { name }))
    .getAllByRole('row')
    .slice(1)
    .map(r => r.textContent);

describe('SecurityOverviewPage', () => {
  it('lists expiring certificates, criticals, access to review and stale secrets, with links to the services', async () => {
    await renderPage(
      fakeRunbookApi({ getSecurityOverview: jest.fn(async () => overview()) }),
    );
    await screen.findByRole('table', { name: 'Expiring certificates' });
    expect(rowsOf('Expiring certificates')).toEqual([
      'media-uploadnexus-media/media-upload9 day(s) leftwarning',
    ]);
    expect(rowsOf('Critical vulnerabilities')).toEqual([
      expect.stringMatching(
        /^media-uploadnexus-cos\/media-upload:1\.4\.0CRITICAL 2HIGH 5MEDIUM 14LOW 31UNKNOWN 2/,
      ),
    ]);
    expect(rowsOf('Access to review')).toEqual([
      expect.stringMatching(
        /^nexus-mediamedia-uploadcritical 1.* by user:default\/carol \(overdue\)$/,
      ),
    ]);
    expect(rowsOf('Secrets not rotated')).toEqual([
      'media-uploadnexus-media/media-upload-secrets183 days since created',
    ]);
    const link = within(
      screen.getByRole('table', { name: 'Expiring certificates' }),
    ).getByRole('link', { name: 'media-upload' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/media-upload',
    );
  });

  it('says what is fine, and how many services the caller may not see', async () => {
    await renderPage(
      fakeRunbookApi({
        getSecurityOverview: jest.fn(async () =>
          overview({
            certificates: [],
            vulnerabilities: [],
            access: [],
            rotations: [],
            hidden: 3,
          }),
        ),
      }),
    );
    expect(
      await screen.findByText('No certificate expires within 30 days.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No image of a service has CRITICAL findings.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Every namespace was reviewed recently and has no risky grants.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Every Secret of a service was rotated (or created) within 90 days.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        '3 service(s) left out: you may not read their security state (runbook.security.read).',
      ),
    ).toBeInTheDocument();
  });

  it('shows the error the backend gave', async () => {
    await renderPage(
      fakeRunbookApi({
        getSecurityOverview: jest.fn(async () => {
          throw new Error('Security state could not be read: cluster down');
        }),
      }),
    );
    expect(
      (
        await screen.findAllByText(
          /Security state could not be read: cluster down/,
        )
      )[0],
    ).toBeInTheDocument();
  });
});
