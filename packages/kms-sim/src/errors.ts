/** An error KMS would answer with: `__type` is the model's exception shape name. */
export class KmsError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = 'KmsError';
    this.type = type;
    this.status = status;
  }
}

export const notFound = (message: string): KmsError => new KmsError('NotFoundException', message);
export const validation = (message: string): KmsError =>
  new KmsError('ValidationException', message);
export const invalidState = (message: string): KmsError =>
  new KmsError('KMSInvalidStateException', message);
export const unsupported = (message: string): KmsError =>
  new KmsError('UnsupportedOperationException', message);
/** AWS's answer for an operation the key's origin does not allow (public error reports record it for EXTERNAL keys). */
export const originNotValid = (key: { arn: string; origin: string }): KmsError =>
  unsupported(`${key.arn} origin is ${key.origin} which is not valid for this operation.`);

/** A member KMS needs here although the model lets other uses leave it out. */
export function requireMember<T>(value: T | undefined, path: string): T {
  if (value === undefined) {
    throw validation(
      `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
