import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startExternalAccessBackend } from '../__testUtils__/externalAccessBackend';
import { securityEntities } from './__testUtils__/securityFixtures';

jest.setTimeout(120_000);

const CI_TOKEN = 'ci-trivy-0123456789abcdef';
const REPORT = fs.readFileSync(
  path.join(__dirname, '__fixtures__/trivy-image-report.json'),
  'utf8',
);

/**
 * A CI pipeline's static token with the `accessRestrictions` the README shows: Backstage's
 * own auth and permission services enforce them, and the runbook asks for the right
 * permission on each route.
 */
describe('a CI token limited to runbook.vulnerability.upload', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('may upload reports and nothing else', async () => {
    const { server } = await startExternalAccessBackend({
      knex: await databases.init('SQLITE_3'),
      entities: securityEntities(['payment-gateway']),
      externalAccess: [
        {
          type: 'static',
          options: { token: CI_TOKEN, subject: 'ci-trivy' },
          accessRestrictions: [
            { plugin: 'runbook', permission: 'runbook.vulnerability.upload' },
          ],
        },
      ],
    });
    const ci = { Authorization: `Bearer ${CI_TOKEN}` };

    const upload = await request(server)
      .post(
        '/api/runbook/vulnerabilities/reports?image=nexus-cos/payment-gateway:1.0.0',
      )
      .set(ci)
      .set('Content-Type', 'application/json')
      .send(REPORT);
    expect(upload.status).toBe(201);
    expect(upload.body.counts).toEqual({
      CRITICAL: 2,
      HIGH: 3,
      MEDIUM: 3,
      LOW: 1,
      UNKNOWN: 1,
    });

    const read = await request(server)
      .get(
        '/api/runbook/entities/component/default/payment-gateway/certificates',
      )
      .set(ci);
    expect(read.status).toBe(403);
    expect(read.body.error.message).toContain('runbook.security.read');

    const run = await request(server)
      .post('/api/runbook/entities/component/default/payment-gateway/runs')
      .set(ci)
      .send({
        action: 'renew-certificate',
        input: { certificate: 'payment-gateway' },
      });
    expect(run.status).toBe(403);

    const anonymous = await request(server)
      .post('/api/runbook/vulnerabilities/reports')
      .set('Content-Type', 'application/json')
      .send(REPORT);
    expect(anonymous.status).toBe(401);
  });
});
