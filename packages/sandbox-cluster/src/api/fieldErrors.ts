import { StatusCause } from './errors';

/** Collects the field causes of a 422 Invalid, worded as the apiserver words them. */
export class Causes {
  readonly list: StatusCause[] = [];
  required(field: string, detail?: string) {
    this.list.push({
      reason: 'FieldValueRequired',
      message: detail ? `Required value: ${detail}` : 'Required value',
      field,
    });
  }
  invalid(field: string, value: unknown, why: string) {
    this.list.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
      field,
    });
  }
  unsupported(field: string, value: unknown, allowed: string[]) {
    this.list.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(
        value,
      )}: supported values: ${allowed.map(a => `"${a}"`).join(', ')}`,
      field,
    });
  }
  forbidden(field: string, detail: string) {
    this.list.push({
      reason: 'FieldValueForbidden',
      message: `Forbidden: ${detail}`,
      field,
    });
  }
}
