import { defineConfig } from '@playwright/test';
import { IDENTITIES, storageStateOf } from './fixtures/identities';

/**
 * The journeys run in Debian's Chromium (nothing is downloaded) against a running portal:
 * `E2E_BASE_URL` and the sandbox's `E2E_SANDBOX_URL`, which `scripts/run` sets after
 * `scripts/start-portal` has started it. One worker: the machine has two cores and the
 * portal needs them.
 */
export default defineConfig({
  testDir: './journeys',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  // Flaky is failing.
  retries: 0,
  forbidOnly: true,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [
    ['list'],
    ['html', { outputFolder: 'playwright-report', open: 'never' }],
  ],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    viewport: { width: 1440, height: 1000 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 20_000,
    navigationTimeout: 60_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    // Signs in once per identity and stores the session (storageState).
    { name: 'sign-in', testMatch: /signIn\.setup\.ts/ },
    {
      name: 'journeys',
      dependencies: ['sign-in'],
      use: { storageState: storageStateOf(IDENTITIES.guest) },
    },
  ],
});
