import { expect, test as setup } from '@playwright/test';
import { IDENTITIES, storageStateOf } from '../fixtures/identities';

// Each identity signs in once through the development sign-in page; the journeys reuse
// the stored session. The Settings page proves who the session is and which groups the
// catalog gave them, which is what the permission policy decides on.
const expected = {
  guest: {
    name: 'Guest Developer',
    groups: ['Team Platform', 'Platform Lead'],
  },
  owner: { name: 'Greta Lindqvist', groups: ['Team Media'] },
  noTeam: { name: 'Robin Keller', groups: [] as string[] },
};

for (const [id, identity] of Object.entries(IDENTITIES)) {
  const { name, groups } = expected[id as keyof typeof IDENTITIES];
  setup(`sign in as ${identity.title}`, async ({ page }) => {
    await page.goto('/catalog');
    await page
      .getByRole('button', { name: `Sign in as ${identity.title}` })
      .click();
    await expect(
      page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog', exact: true }),
    ).toBeVisible();

    await page.goto('/settings');
    await expect(
      page.getByRole('heading', { name: `User Entity: ${name}` }),
    ).toBeVisible();
    const ownership = page.getByRole('heading', {
      name: /^Ownership Entities:/,
    });
    for (const group of groups) {
      await expect(ownership.getByRole('link', { name: group })).toBeVisible();
    }
    // The person and their groups, nothing more.
    await expect(ownership.getByRole('link')).toHaveCount(1 + groups.length);
    await page.context().storageState({ path: storageStateOf(identity) });
  });
}
