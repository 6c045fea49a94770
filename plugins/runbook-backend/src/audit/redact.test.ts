import { REDACTED, redact, redactText } from './redact';

describe('redactText', () => {
  it('removes the credentials of URLs and keeps the rest readable', () => {
    expect(
      redactText(
        'pg_dump failed: could not connect to postgresql://drill:S3cret@db.internal:5432/nexus_db',
      ),
    ).toBe(
      `pg_dump failed: could not connect to postgresql://${REDACTED}@db.internal:5432/nexus_db`,
    );
    expect(redactText('see https://portal.test/runbook/runs/1')).toBe(
      'see https://portal.test/runbook/runs/1',
    );
  });

  it('redacts connection URLs nested in objects', () => {
    expect(
      redact({ note: 'postgres://u:p@h/db', tables: ['public.users'] }),
    ).toEqual({
      note: `postgres://${REDACTED}@h/db`,
      tables: ['public.users'],
    });
  });
});

describe('redact', () => {
  it('hides values by key, but keeps a key that names a Secret object', () => {
    expect(
      redact({
        secret: 'payments-db',
        clientSecret: 'x1',
        secretValue: 'x2',
        password: 'x3',
        apiKey: 'x4',
      }),
    ).toEqual({
      secret: 'payments-db',
      clientSecret: REDACTED,
      secretValue: REDACTED,
      password: REDACTED,
      apiKey: REDACTED,
    });
  });
});
