import { ReactNode } from 'react';
import { TestApiProvider } from '@backstage/frontend-test-utils';
import { kubernetesAuthProvidersApiRef } from '@backstage/plugin-kubernetes-react';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ClusterToken } from '@nexus-cos/plugin-runbook-common';
import { OKTA_CLUSTER } from '../testing/fakeRunbookApi';
import { useClusterAuthLoader } from './useClusterAuthLoader';

const OKTA_TOKEN = { authProvider: 'oidc.okta', token: 'alice-okta-token' };

/** A backend answering with the cluster's auth; `read` says whether a token came along. */
const read = jest.fn(async (clusterToken?: ClusterToken) => ({
  clusterAuth: OKTA_CLUSTER,
  read: clusterToken ? 'with token' : 'without token',
}));

function renderLoader(token?: string) {
  const getCredentials = jest.fn(async () => ({ token }));
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[[kubernetesAuthProvidersApiRef, { getCredentials }]]}
    >
      {children}
    </TestApiProvider>
  );
  const hook = renderHook(() => useClusterAuthLoader(read, []), { wrapper });
  return { ...hook, getCredentials };
}

describe('useClusterAuthLoader', () => {
  beforeEach(() => read.mockClear());

  it('reads again with the token, and sends it at once on reload', async () => {
    const { result } = renderLoader('alice-okta-token');
    await waitFor(() => expect(result.current.value?.read).toBe('with token'));
    expect(read.mock.calls).toEqual([[undefined], [OKTA_TOKEN]]);

    act(() => result.current.reload());
    await waitFor(() => expect(read).toHaveBeenCalledTimes(3));
    expect(read).toHaveBeenLastCalledWith(OKTA_TOKEN);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.value?.read).toBe('with token');
  });

  it('keeps the first answer, and reads once per reload, while the user has no token', async () => {
    const { result, getCredentials } = renderLoader(undefined);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.value?.read).toBe('without token');
    expect(read).toHaveBeenCalledTimes(1);
    expect(getCredentials).toHaveBeenCalledWith('oidc.okta');

    act(() => result.current.reload());
    await waitFor(() => expect(getCredentials).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(read).toHaveBeenCalledTimes(2);
  });
});
