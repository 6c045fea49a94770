import type { ActionFormField } from '@nexus-cos/plugin-runbook-common';
import {
  maskSecretInputs,
  maskSecrets,
  maskSecretsInError,
  secretFormValues,
  secretInputValues,
} from './secrets';

const fields: ActionFormField[] = [
  { name: 'secret', label: 'Secret', type: 'text' },
  { name: 'value', label: 'Value', type: 'text', secret: true },
  { name: 'auth.password', label: 'Password', type: 'text', secret: true },
];

describe('secrets', () => {
  it('reads the secret values from form values and from inputs', () => {
    expect(
      secretFormValues(fields, {
        secret: 'db-credentials',
        value: 's3cret',
        'auth.password': '',
      }),
    ).toEqual(['s3cret']);
    expect(
      secretInputValues(fields, {
        secret: 'db-credentials',
        value: 's3cret',
        auth: { password: 'pa55' },
      }),
    ).toEqual(['s3cret', 'pa55']);
    expect(secretInputValues(fields, { secret: 'db-credentials' })).toEqual([]);
  });

  it('masks a secret as typed, inside JSON and in base64', () => {
    const secret = 'a"b\\c';
    const base64 = Buffer.from(secret).toString('base64');
    expect(maskSecrets(`x ${secret} y`, [secret])).toBe('x •••••• y');
    expect(maskSecrets(JSON.stringify({ v: secret }), [secret])).toBe(
      '{"v":"••••••"}',
    );
    expect(maskSecrets(`data: ${base64}`, [secret])).toBe('data: ••••••');
    expect(maskSecrets('nothing to hide', [])).toBe('nothing to hide');
  });

  it('masks errors only when they carry a secret', () => {
    const plain = new Error('lock held by run run-0');
    expect(maskSecretsInError(plain, ['s3cret'])).toBe(plain);
    const masked = maskSecretsInError(new TypeError('bad s3cret'), ['s3cret']);
    expect(masked.message).toBe('bad ••••••');
    expect(masked.name).toBe('TypeError');
  });

  it("masks the secret fields of a run's input and leaves the rest", () => {
    const input = {
      secret: 'db-credentials',
      value: 's3cret',
      auth: { password: 'pa55', user: 'app' },
    };
    expect(maskSecretInputs(fields, input)).toEqual({
      secret: 'db-credentials',
      value: '••••••',
      auth: { password: '••••••', user: 'app' },
    });
    expect(input.value).toBe('s3cret');
    expect(maskSecretInputs(fields, { secret: 'x' })).toEqual({ secret: 'x' });
  });
});
