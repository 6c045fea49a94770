import { TestApiProvider } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { renderHook, waitFor } from '@testing-library/react';
import { PropsWithChildren } from 'react';
import { useSystemsOf } from './useSystemsOf';

describe('useSystemsOf', () => {
  it('copes with field-filtered entities that have no title, as the catalog returns them', async () => {
    // With `fields`, the catalog omits objects that hold none of the asked-for fields.
    const getEntitiesByRefs = jest.fn(async () => ({
      items: [
        { spec: { system: 'media' } },
        { metadata: { title: 'Checkout' }, spec: { system: 'payments' } },
        undefined,
      ],
    }));
    const wrapper = ({ children }: PropsWithChildren<{}>) => (
      <TestApiProvider apis={[[catalogApiRef, { getEntitiesByRefs } as any]]}>
        {children}
      </TestApiProvider>
    );
    const refs = [
      'component:default/media-upload',
      'component:default/checkout',
      'component:default/gone',
    ];
    const { result } = renderHook(() => useSystemsOf(refs), { wrapper });

    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.error).toBeUndefined();
    expect(result.current.value?.get(refs[0])).toEqual({
      title: undefined,
      system: 'media',
    });
    expect(result.current.value?.get(refs[1])).toEqual({
      title: 'Checkout',
      system: 'payments',
    });
    expect(result.current.value?.get(refs[2])).toEqual({
      title: undefined,
      system: undefined,
    });
  });
});
