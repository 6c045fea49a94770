import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Request } from 'express';

/** The caller of a request: a user, or a service with a token (never anonymous). */
export const credentialsOf =
  (httpAuth: HttpAuthService) =>
  (req: Request): Promise<BackstageCredentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

/** The user (or service) a request acts for, as it appears in runs and the audit trail. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return (
    principal.userEntityRef ??
    `${principal.type}:${principal.subject ?? 'unknown'}`
  );
}

/** Whether a person signed in: only they may change state, so that the audit names one. */
export const isPerson = (credentials: BackstageCredentials) =>
  (credentials.principal as { type: string }).type === 'user';
