import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { ActiveFreezes } from './ActiveFreezes';

describe('ActiveFreezes', () => {
  it('names each freeze, what it covers, and until when', async () => {
    await renderInTestApp(
      <ActiveFreezes
        items={[
          {
            name: 'year-end',
            reason: 'payments peak',
            since: '2025-12-31T23:00:00.000Z',
            until: '2026-01-30T23:00:00.000Z',
            scope: { system: 'system:default/payments' },
          },
          {
            name: 'release-train',
            since: '2026-01-05T08:00:00.000Z',
            until: '2026-01-09T18:00:00.000Z',
            scope: {},
          },
        ]}
      />,
    );
    const items = within(
      screen.getByRole('list', { name: 'Change freezes in force' }),
    ).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      expect.stringMatching(
        /^Change freeze "year-end" until .+ \(payments peak\)Covers System payments\. Only emergency changes/,
      ),
      expect.stringMatching(
        /^Change freeze "release-train" until [^(]+Covers every service\./,
      ),
    ]);
  });

  it('says plainly when no freeze is in force', async () => {
    await renderInTestApp(<ActiveFreezes items={[]} />);
    expect(
      screen.getByText(/^No change freeze is in force/),
    ).toBeInTheDocument();
  });
});
