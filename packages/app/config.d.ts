export interface Config {
  auth?: {
    providers?: {
      /**
       * Development only: sign in as other catalog Users, to try what owners, on-call
       * people and strangers may do. The backend's `demo` provider (packages/backend
       * src/auth) signs in exactly these Users, and refuses outside NODE_ENV=development;
       * the sign-in page offers them only while `auth.environment` is `development`.
       */
      demo?: {
        /** @visibility frontend */
        identities?: Array<{
          /**
           * The catalog User, e.g. "user:default/greta".
           * @visibility frontend
           */
          userEntityRef: string;
          /**
           * The name on the sign-in card.
           * @visibility frontend
           */
          title: string;
          /**
           * What this person may do, on the sign-in card.
           * @visibility frontend
           */
          description?: string;
        }>;
      };
    };
  };
}
