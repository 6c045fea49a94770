import { ImagePolicy } from './ImagePolicy';

describe('ImagePolicy', () => {
  it('by default fails broken pulls, and makes errors and slow images misbehave', () => {
    const images = new ImagePolicy();
    expect(images.neverReady('nexus-cos/cart:broken-2')).toBe(true);
    expect(images.neverReady('nexus-cos/cart:errors')).toBe(false);
    expect(images.effect(['nexus-cos/cart:errors-2.0.0'])).toEqual({
      errorRate: 0.3,
      latency: 0,
    });
    expect(images.effect(['nexus-cos/cart:slow'])).toEqual({
      errorRate: 0,
      latency: 1,
    });
    expect(images.effect(['nexus-cos/cart:1.0.0'])).toEqual({
      errorRate: 0,
      latency: 0,
    });
  });

  it('takes its globs from options, and the effects of every container of a pod', () => {
    const images = new ImagePolicy({
      neverReady: ['*:doomed'],
      errors: ['*/flaky:*'],
      slow: ['*:2.*'],
    });
    expect(images.neverReady('app:doomed')).toBe(true);
    expect(images.neverReady('app:broken')).toBe(false);
    expect(images.effect(['nexus-cos/cart:errors'])).toEqual({
      errorRate: 0,
      latency: 0,
    });
    expect(images.effect(['sidecar:1.0', 'nexus-cos/flaky:2.1'])).toEqual({
      errorRate: 0.3,
      latency: 1,
    });
  });

  it('adds never-ready globs injected while running', () => {
    let injected: string[] = [];
    const images = new ImagePolicy({}, () => injected);
    expect(images.neverReady('app:2.0.0')).toBe(false);
    injected = ['*:2.0.0'];
    expect(images.neverReady('app:2.0.0')).toBe(true);
  });
});
