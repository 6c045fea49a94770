import { mockServices } from '@backstage/backend-test-utils';
import {
  DEMO_IDENTITY_HEADER,
  demoIdentityAuthenticator,
} from './demoIdentities';

type Request = Parameters<
  typeof demoIdentityAuthenticator.authenticate
>[0]['req'];

// The provider's own config, as the auth backend hands it over (auth.providers.demo).
const config = mockServices.rootConfig({
  data: {
    identities: [
      { userEntityRef: 'user:default/greta', title: 'Greta Lindqvist' },
      { userEntityRef: 'robin', title: 'Robin Keller' },
    ],
  },
});

const request = (headers: Record<string, string>) =>
  ({
    header: (name: string) => headers[name.toLocaleLowerCase('en-US')],
  } as unknown as Request);

async function contextIn(nodeEnv: string) {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    return await demoIdentityAuthenticator.initialize({ config });
  } finally {
    process.env.NODE_ENV = before;
  }
}

describe('demo identities', () => {
  it('signs in a listed catalog User named by the header, in development', async () => {
    const ctx = await contextIn('development');
    await expect(
      demoIdentityAuthenticator.authenticate(
        { req: request({ [DEMO_IDENTITY_HEADER]: 'user:default/greta' }) },
        ctx,
      ),
    ).resolves.toEqual({ result: { userEntityRef: 'user:default/greta' } });
    await expect(
      demoIdentityAuthenticator.authenticate(
        { req: request({ [DEMO_IDENTITY_HEADER]: 'robin' }) },
        ctx,
      ),
    ).resolves.toEqual({ result: { userEntityRef: 'user:default/robin' } });
  });

  it('exists only in development', async () => {
    const ctx = await contextIn('production');
    await expect(
      demoIdentityAuthenticator.authenticate(
        { req: request({ [DEMO_IDENTITY_HEADER]: 'user:default/greta' }) },
        ctx,
      ),
    ).rejects.toThrow(
      'Demo identities exist only in development (NODE_ENV=development)',
    );
  });

  it('refuses anyone not listed, and a request that names no one', async () => {
    const ctx = await contextIn('development');
    await expect(
      demoIdentityAuthenticator.authenticate(
        { req: request({ [DEMO_IDENTITY_HEADER]: 'user:default/guest' }) },
        ctx,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'user:default/guest is not one of auth.providers.demo.identities',
    });
    await expect(
      demoIdentityAuthenticator.authenticate({ req: request({}) }, ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(DEMO_IDENTITY_HEADER),
    });
  });
});
