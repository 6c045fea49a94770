import { FaultEffect } from '../traffic/podSignals';

/** Image globs that behave badly on purpose, so rollouts can be made to fail or degrade. */
export interface ImageGlobs {
  /** Pulls fail (ImagePullBackOff): the pods never become ready. */
  neverReady: string[];
  /** Ready, but about {@link ERROR_IMAGE_RATE} of their requests answer 500. */
  errors: string[];
  /** Ready, but every request takes {@link SLOW_IMAGE_LATENCY} seconds longer. */
  slow: string[];
}

/** Defaults: any tag that is or starts with `broken`, `errors` or `slow`. */
export const DEFAULT_IMAGE_GLOBS: ImageGlobs = {
  neverReady: ['*:broken*'],
  errors: ['*:errors*'],
  slow: ['*:slow*'],
};

/** Share of requests an `errors` image answers 500, as an error-spike fault of that rate would. */
export const ERROR_IMAGE_RATE = 0.3;
/** Seconds a `slow` image adds to every request, as a latency-spike fault would. */
export const SLOW_IMAGE_LATENCY = 1;

/**
 * Decides how an image behaves: whether its pulls fail (never ready), and what it adds
 * to the requests of the pods running it. Patterns are globs where `*` matches any run
 * of characters, matched against the whole image reference.
 */
export class ImagePolicy {
  private readonly neverReadyPatterns: RegExp[];
  private readonly errorPatterns: RegExp[];
  private readonly slowPatterns: RegExp[];

  /** `injected` adds never-ready globs that change while running (never-ready faults). */
  constructor(
    globs: Partial<ImageGlobs> = {},
    private readonly injected: () => string[] = () => [],
  ) {
    const patterns = (kind: keyof ImageGlobs) =>
      (globs[kind] ?? DEFAULT_IMAGE_GLOBS[kind]).map(globPattern);
    this.neverReadyPatterns = patterns('neverReady');
    this.errorPatterns = patterns('errors');
    this.slowPatterns = patterns('slow');
  }

  neverReady(image: string) {
    return [
      ...this.neverReadyPatterns,
      ...this.injected().map(globPattern),
    ].some(p => p.test(image));
  }

  /** What a pod running these images adds to its requests, in the terms of a fault. */
  effect(images: string[]): FaultEffect {
    const any = (patterns: RegExp[]) =>
      images.some(image => patterns.some(p => p.test(image)));
    return {
      errorRate: any(this.errorPatterns) ? ERROR_IMAGE_RATE : 0,
      latency: any(this.slowPatterns) ? SLOW_IMAGE_LATENCY : 0,
    };
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
