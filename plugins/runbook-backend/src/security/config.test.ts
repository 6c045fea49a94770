import { ConfigReader } from '@backstage/config';
import { readSecurityConfig } from './config';

const read = (security: object, drTargets: object = {}) =>
  readSecurityConfig(new ConfigReader({ runbook: { security, drTargets } }));

describe('readSecurityConfig', () => {
  it('has the documented defaults', () => {
    expect(readSecurityConfig(new ConfigReader({}))).toEqual({
      refreshIntervalSeconds: 120,
      certificateWarningDays: 30,
      criticalVulnerabilities: 0,
      reviewMaxAgeDays: 90,
      rotationMaxAgeDays: 90,
      rotation: {
        alphabet:
          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
        length: 32,
      },
      vulnerabilityReports: { maxBodyBytes: 10 * 1024 * 1024 },
      databasePasswords: new Map(),
    });
  });

  it('reads the application role of a DR target', () => {
    const config = read(
      {
        databasePasswords: {
          'nexus-db': {
            role: 'nexus_app',
            secret: { namespace: 'ns', name: 's' },
          },
        },
      },
      {
        'nexus-db': {
          connection: 'postgresql://postgres@127.0.0.1:5433/nexus_db',
        },
      },
    );
    expect(config.databasePasswords.get('nexus-db')).toEqual({
      role: 'nexus_app',
      secret: { namespace: 'ns', name: 's', passwordKey: 'password' },
    });
  });

  it.each([
    [
      'the role the portal itself connects as',
      {
        databasePasswords: {
          'nexus-db': { role: 'drill', secret: { namespace: 'ns', name: 's' } },
        },
      },
      'runbook.security.databasePasswords.nexus-db.role must not be the user of runbook.drTargets.nexus-db.connection',
    ],
    [
      'a role that needs quoting',
      {
        databasePasswords: {
          'nexus-db': {
            role: 'App"; DROP',
            secret: { namespace: 'ns', name: 's' },
          },
        },
      },
      'runbook.security.databasePasswords.nexus-db.role must be a role name',
    ],
    [
      'a short alphabet',
      { rotation: { alphabet: 'abc123' } },
      'runbook.security.rotation.alphabet must have at least 16 characters, each once',
    ],
    [
      'an alphabet with repeats',
      { rotation: { alphabet: 'aabcdefghijklmnopqrstuvwxyz' } },
      'each once',
    ],
    [
      'a generated length outside 16-256',
      { rotation: { length: 512 } },
      'runbook.security.rotation.length must be a whole number from 16 to 256',
    ],
    [
      'a tiny upload limit',
      { vulnerabilityReports: { maxBodyBytes: 10 } },
      'runbook.security.vulnerabilityReports.maxBodyBytes must be at least 1024',
    ],
  ])('refuses %s', (_name, security, message) => {
    expect(() =>
      read(security, {
        'nexus-db': {
          connection: 'postgresql://drill:pw@127.0.0.1:5433/nexus_db',
        },
      }),
    ).toThrow(message);
  });
});
