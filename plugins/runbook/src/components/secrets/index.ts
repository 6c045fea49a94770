export {
  maskSecretInputs,
  maskSecrets,
  maskSecretsInError,
  secretFormValues,
  secretInputValues,
} from './secrets';
