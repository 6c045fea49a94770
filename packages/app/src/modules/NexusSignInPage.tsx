import { useState } from 'react';
import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import type { IdentityApi, SignInPageProps } from '@backstage/core-plugin-api';
import {
  configApiRef,
  useApi,
  type ConfigApi,
} from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

/** The header the backend's `demo` provider reads (packages/backend/src/auth). */
const DEMO_IDENTITY_HEADER = 'x-nexus-demo-identity';
/** Who this browser signed in as last, so that a reload signs in again without asking. */
const CHOICE_KEY = 'nexus-cos:sign-in-identity';
const GUEST = 'guest';

type Identity = {
  /** `guest`, or the catalog User of a demo identity. */
  id: string;
  title: string;
  description: string;
};

const GUEST_IDENTITY: Identity = {
  id: GUEST,
  title: 'Guest',
  description:
    'Guest Developer, a platform lead: may run every action on every service.',
};

/** The demo identities of `auth.providers.demo.identities`, in development only. */
export function demoIdentities(config: ConfigApi): Identity[] {
  if (config.getOptionalString('auth.environment') !== 'development') {
    return [];
  }
  return (
    config.getOptionalConfigArray('auth.providers.demo.identities') ?? []
  ).map(c => ({
    id: c.getString('userEntityRef'),
    title: c.getString('title'),
    description: c.getOptionalString('description') ?? '',
  }));
}

/** The identity with sign-out that also forgets the choice, so the next visit asks again. */
const forgettingChoice = (identity: IdentityApi): IdentityApi => ({
  getProfileInfo: () => identity.getProfileInfo(),
  getBackstageIdentity: () => identity.getBackstageIdentity(),
  getCredentials: () => identity.getCredentials(),
  signOut: async () => {
    localStorage.removeItem(CHOICE_KEY);
    await identity.signOut();
  },
});

/**
 * Development sign-in. Without demo identities it is Backstage's guest sign-in page.
 * With them (`auth.providers.demo.identities`, while `auth.environment` is
 * `development`) it offers the guest and each identity; the choice is remembered, and a
 * reload signs in as the same person through the backend's `guest` or `demo` provider.
 */
export const NexusSignInPage = (props: SignInPageProps) => {
  const config = useApi(configApiRef);
  const identities = demoIdentities(config);
  const [choice, setChoice] = useState(
    () => localStorage.getItem(CHOICE_KEY) ?? undefined,
  );
  if (identities.length === 0) {
    return <SignInPage {...props} providers={['guest']} />;
  }
  const all = [GUEST_IDENTITY, ...identities];
  const chosen = all.find(i => i.id === choice);
  const choose = (id?: string) => {
    if (id) localStorage.setItem(CHOICE_KEY, id);
    else localStorage.removeItem(CHOICE_KEY);
    setChoice(id);
  };

  if (chosen) {
    return (
      <ProxiedSignInPage
        provider={chosen.id === GUEST ? 'guest' : 'demo'}
        headers={
          chosen.id === GUEST ? {} : { [DEMO_IDENTITY_HEADER]: chosen.id }
        }
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgettingChoice(identity))
        }
        ErrorComponent={({ error }) => (
          <Content>
            <ErrorPanel
              title={`Could not sign in as ${chosen.title}`}
              error={error ?? new Error('unknown error')}
            />
            <Button variant="outlined" onClick={() => choose(undefined)}>
              Choose another identity
            </Button>
          </Content>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title={config.getOptionalString('app.title') ?? 'Backstage'}
        subtitle="Development sign-in: choose who you are"
      />
      <Content>
        <Grid container spacing={3}>
          {all.map(identity => (
            <Grid item xs={12} sm={6} md={4} key={identity.id}>
              <InfoCard
                title={identity.title}
                subheader={identity.id === GUEST ? undefined : identity.id}
                variant="fullHeight"
                actions={
                  <Button
                    color="primary"
                    variant="outlined"
                    onClick={() => choose(identity.id)}
                  >
                    Sign in as {identity.title}
                  </Button>
                }
              >
                <Typography variant="body1">{identity.description}</Typography>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
};
