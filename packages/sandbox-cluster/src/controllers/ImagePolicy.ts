/**
 * Decides which images never become ready (the pull fails with ImagePullBackOff), so
 * rollouts can be made to fail on purpose. Patterns are globs where `*` matches any run
 * of characters, matched against the whole image reference.
 */
export class ImagePolicy {
  private readonly patterns: RegExp[];

  /** `injected` adds globs that change while running (never-ready faults). */
  constructor(
    neverReady: string[],
    private readonly injected: () => string[] = () => [],
  ) {
    this.patterns = neverReady.map(globPattern);
  }

  neverReady(image: string) {
    return [...this.patterns, ...this.injected().map(globPattern)].some(p =>
      p.test(image),
    );
  }
}

function globPattern(glob: string) {
  return new RegExp(
    `^${glob
      .split('*')
      .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Default never-ready images: any tag that is or starts with `broken`. */
export const DEFAULT_NEVER_READY_IMAGES = ['*:broken*'];
