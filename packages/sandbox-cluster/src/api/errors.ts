/** A cause inside a 422 Invalid status: which field and why. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** Details of a Kubernetes `Status` failure. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/**
 * An error that the server renders as a Kubernetes `Status` object; every failure
 * path throws one so clients always get the shape they parse.
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** Names a resource the way apiserver messages do: `deployments.apps "web"`. */
export function qualifiedName(plural: string, group: string, name: string) {
  return `${group ? `${plural}.${group}` : plural} "${name}"`;
}

export const badRequest = (message: string) =>
  new ApiError(400, 'BadRequest', message);

export const notFound = (plural: string, group: string, name: string) =>
  new ApiError(
    404,
    'NotFound',
    `${qualifiedName(plural, group, name)} not found`,
    {
      name,
      group,
      kind: plural,
    },
  );

export const alreadyExists = (plural: string, group: string, name: string) =>
  new ApiError(
    409,
    'AlreadyExists',
    `${qualifiedName(plural, group, name)} already exists`,
    { name, group, kind: plural },
  );

export const conflict = (plural: string, group: string, name: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(
      plural,
      group,
      name,
    )}: the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: plural },
  );

export const invalid = (
  kind: string,
  group: string,
  name: string,
  causes: StatusCause[],
) =>
  new ApiError(
    422,
    'Invalid',
    `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${causes
      .map(c => `${c.field}: ${c.message}`)
      .join(', ')}`,
    { name, group, kind, causes },
  );

export const gone = (message: string) => new ApiError(410, 'Expired', message);
