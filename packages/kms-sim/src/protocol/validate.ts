import { KmsError } from '../errors.js';
import { SHAPES, type ShapeModel } from '../model/kms-model.js';

/**
 * Checks a decoded JSON request against the KMS service model and returns it with blobs
 * decoded to Buffers. Wrong JSON types answer SerializationException; constraint violations
 * answer one ValidationException listing every violation, worded as KMS words them.
 */
export function validateInput(shapeName: string, value: unknown): Record<string, unknown> {
  const violations: string[] = [];
  const result = checkShape(shapeName, value ?? {}, '', violations);
  if (violations.length > 0) {
    const count = violations.length;
    throw new KmsError(
      'ValidationException',
      `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.join('; ')}`,
    );
  }
  return result as Record<string, unknown>;
}

function shapeOf(name: string): ShapeModel {
  const shape = SHAPES[name];
  if (shape === undefined) throw new Error(`shape ${name} is missing from the model`);
  return shape;
}

function memberPath(prefix: string, member: string): string {
  const camel = member.charAt(0).toLowerCase() + member.slice(1);
  return prefix === '' ? camel : `${prefix}.${camel}`;
}

function serialization(message: string): KmsError {
  return new KmsError('SerializationException', message);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (value === null) return 'VALUE_NULL';
  switch (typeof value) {
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    case 'object':
      return 'START_OBJECT';
    default:
      return 'UNKNOWN';
  }
}

function lengthChecks(
  shape: ShapeModel,
  length: number,
  shown: string,
  path: string,
  out: string[],
) {
  if (shape.min !== undefined && length < shape.min) {
    out.push(
      `Value ${shown}at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${shape.min}`,
    );
  }
  if (shape.max !== undefined && length > shape.max) {
    out.push(
      `Value ${shown}at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`,
    );
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type Check = (
  shape: ShapeModel,
  value: unknown,
  path: string,
  out: string[],
  name: string,
) => unknown;

function checkStructure(
  shape: ShapeModel,
  value: unknown,
  path: string,
  out: string[],
  name: string,
): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serialization(`Unexpected ${describe(value)} for structure ${name}`);
  }
  const input = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const required of shape.required ?? []) {
    if (input[required] === undefined || input[required] === null) {
      out.push(
        `Value null at '${memberPath(path, required)}' failed to satisfy constraint: Member must not be null`,
      );
    }
  }
  for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
    const memberValue = input[member];
    if (memberValue === undefined || memberValue === null) continue;
    result[member] = checkShape(memberShape, memberValue, memberPath(path, member), out);
  }
  return result;
}

function checkString(shape: ShapeModel, value: unknown, path: string, out: string[]): unknown {
  if (typeof value !== 'string') {
    throw serialization(`Unexpected ${describe(value)} at '${path}': expected a string`);
  }
  const shown = `'${value.length > 64 ? `${value.slice(0, 64)}…` : value}' `;
  if (shape.enum !== undefined && !shape.enum.includes(value)) {
    out.push(
      `Value ${shown}at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(', ')}]`,
    );
    return value;
  }
  lengthChecks(shape, value.length, shown, path, out);
  if (
    shape.pattern !== undefined &&
    value.length > 0 &&
    !new RegExp(shape.pattern, 'u').test(value)
  ) {
    out.push(
      `Value ${shown}at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}`,
    );
  }
  return value;
}

function checkBlob(shape: ShapeModel, value: unknown, path: string, out: string[]): unknown {
  if (typeof value !== 'string') {
    throw serialization(`Unexpected ${describe(value)} at '${path}': expected a base64 string`);
  }
  if (!BASE64.test(value)) {
    throw serialization(`Value at '${path}' is not valid base64`);
  }
  const bytes = Buffer.from(value, 'base64');
  lengthChecks(shape, bytes.length, '', path, out);
  return bytes;
}

function checkInteger(shape: ShapeModel, value: unknown, path: string, out: string[]): unknown {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw serialization(`Unexpected ${describe(value)} at '${path}': expected an integer`);
  }
  if (shape.min !== undefined && value < shape.min) {
    out.push(
      `Value '${value}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${shape.min}`,
    );
  }
  if (shape.max !== undefined && value > shape.max) {
    out.push(
      `Value '${value}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${shape.max}`,
    );
  }
  return value;
}

/** A JSON scalar KMS takes as it is, once its JSON type is right. */
function scalar(accepts: (value: unknown) => boolean, expected: string): Check {
  return (_shape, value, path) => {
    if (!accepts(value)) {
      throw serialization(`Unexpected ${describe(value)} at '${path}': expected ${expected}`);
    }
    return value;
  };
}

function checkList(shape: ShapeModel, value: unknown, path: string, out: string[]): unknown {
  if (!Array.isArray(value)) {
    throw serialization(`Unexpected ${describe(value)} at '${path}': expected a list`);
  }
  lengthChecks(shape, value.length, '', path, out);
  return value.map((item, index) =>
    checkShape(shape.member!, item, `${path}.${index + 1}.member`, out),
  );
}

function checkMap(shape: ShapeModel, value: unknown, path: string, out: string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serialization(`Unexpected ${describe(value)} at '${path}': expected a map`);
  }
  lengthChecks(shape, Object.keys(value).length, '', path, out);
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    checkShape(shape.key!, key, `${path}.${key}.key`, out);
    result[key] = checkShape(shape.value!, item, `${path}.${key}.value`, out);
  }
  return result;
}

const CHECKS: Readonly<Record<ShapeModel['type'], Check>> = {
  structure: checkStructure,
  string: checkString,
  blob: checkBlob,
  integer: checkInteger,
  long: checkInteger,
  double: scalar((value) => typeof value === 'number', 'a number'),
  float: scalar((value) => typeof value === 'number', 'a number'),
  boolean: scalar((value) => typeof value === 'boolean', 'a boolean'),
  timestamp: scalar(
    (value) => typeof value === 'number' && Number.isFinite(value),
    'epoch seconds',
  ),
  list: checkList,
  map: checkMap,
};

/** Checks a value against the named shape, collecting violations; a wrong JSON type throws. */
function checkShape(name: string, value: unknown, path: string, out: string[]): unknown {
  const shape = shapeOf(name);
  return CHECKS[shape.type](shape, value, path, out, name);
}
