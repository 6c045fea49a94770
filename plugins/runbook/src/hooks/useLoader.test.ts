import { act, renderHook, waitFor } from '@testing-library/react';
import { useLoader } from './useLoader';

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('useLoader', () => {
  it('drops the answer of a load that newer deps superseded', async () => {
    const answers = { a: deferred<string>(), b: deferred<string>() };
    const { result, rerender } = renderHook(
      ({ key }: { key: 'a' | 'b' }) =>
        useLoader(() => answers[key].promise, [key]),
      { initialProps: { key: 'a' as 'a' | 'b' } },
    );
    rerender({ key: 'b' });
    await act(async () => answers.b.resolve('from b'));
    await act(async () => answers.a.resolve('from a'));
    expect(result.current.value).toBe('from b');
    expect(result.current.loading).toBe(false);
  });

  it('keeps the old value while reloading and reports errors', async () => {
    const load = jest
      .fn()
      .mockResolvedValueOnce('first')
      .mockRejectedValueOnce(new Error('backend down'));
    const { result } = renderHook(() => useLoader(load, []));
    await waitFor(() => expect(result.current.value).toBe('first'));

    act(() => result.current.reload());
    expect(result.current.loading).toBe(true);
    expect(result.current.value).toBe('first');
    await waitFor(() =>
      expect(result.current.error?.message).toBe('backend down'),
    );
  });

  it('loads again every refreshMs while the page is visible, and not while hidden', async () => {
    jest.useFakeTimers();
    try {
      let visibility = 'visible';
      jest
        .spyOn(document, 'visibilityState', 'get')
        .mockImplementation(() => visibility as DocumentVisibilityState);
      let n = 0;
      const load = jest.fn(async () => ++n);
      const { result, unmount } = renderHook(() =>
        useLoader(load, [], { refreshMs: 15_000 }),
      );
      await waitFor(() => expect(result.current.value).toBe(1));

      await act(async () => jest.advanceTimersByTime(15_000));
      await waitFor(() => expect(result.current.value).toBe(2));

      visibility = 'hidden';
      await act(async () => jest.advanceTimersByTime(45_000));
      expect(load).toHaveBeenCalledTimes(2);

      unmount();
      visibility = 'visible';
      await act(async () => jest.advanceTimersByTime(15_000));
      expect(load).toHaveBeenCalledTimes(2);
    } finally {
      jest.restoreAllMocks();
      jest.useRealTimers();
    }
  });
});
