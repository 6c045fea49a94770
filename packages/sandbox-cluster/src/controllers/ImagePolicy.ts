/**
 * Decides which images never become ready (the pull fails with ImagePullBackOff), so
 * rollouts can be made to fail on purpose. Patterns are globs where `*` matches any run
 * of characters, matched against the whole image reference.
 */
export class ImagePolicy {
  private readonly patterns: RegExp[];

  constructor(neverReady: string[]) {
    this.patterns = neverReady.map(
      glob =>
        new RegExp(
          `^${glob
            .split('*')
            .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ),
    );
  }

  neverReady(image: string) {
    return this.patterns.some(p => p.test(image));
  }
}

/** Default never-ready images: any tag that is or starts with `broken`. */
export const DEFAULT_NEVER_READY_IMAGES = ['*:broken*'];
