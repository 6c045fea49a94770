import { NotAllowedError, InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

/** The request header that names the catalog User to sign in as. */
export const DEMO_IDENTITY_HEADER = 'x-nexus-demo-identity';

const normalize = (ref: string) =>
  stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'user' }));

/**
 * Development sign-in as one of the catalog Users listed in
 * `auth.providers.demo.identities`, named by the `x-nexus-demo-identity` header: a team
 * member, someone in no team, so that owners, on-call people and strangers can be tried
 * out (and the e2e journeys can act as them). Like the guest provider it refuses outside
 * `NODE_ENV=development`, and it signs in only Users the catalog has, with their groups.
 */
export const demoIdentityAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    const identities = (config.getOptionalConfigArray('identities') ?? []).map(
      c => normalize(c.getString('userEntityRef')),
    );
    return {
      identities: new Set(identities),
      development: process.env.NODE_ENV === 'development',
    };
  },
  async authenticate({ req }, ctx) {
    if (!ctx.development) {
      throw new NotAllowedError(
        'Demo identities exist only in development (NODE_ENV=development)',
      );
    }
    const named = req.header(DEMO_IDENTITY_HEADER);
    if (!named) {
      throw new InputError(
        `The ${DEMO_IDENTITY_HEADER} header must name a User of auth.providers.demo.identities`,
      );
    }
    let userEntityRef: string;
    try {
      userEntityRef = normalize(named);
    } catch {
      throw new InputError(
        `${DEMO_IDENTITY_HEADER} is not an entity ref: ${named}`,
      );
    }
    if (!ctx.identities.has(userEntityRef)) {
      throw new NotAllowedError(
        `${userEntityRef} is not one of auth.providers.demo.identities`,
      );
    }
    return { result: { userEntityRef } };
  },
});

/** The `demo` auth provider: the authenticator above, signed in as the catalog User. */
export const demoIdentityProviderFactory = createProxyAuthProviderFactory({
  authenticator: demoIdentityAuthenticator,
  signInResolver: async ({ result }, ctx) =>
    ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
});
