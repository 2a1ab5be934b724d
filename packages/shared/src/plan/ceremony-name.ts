/**
 * A ceremony's name: the characters KMS allows in a KeyMaterialDescription ([a-zA-Z0-9:/_\s.-]),
 * spaces only single, 1 to 64 characters starting with a letter or digit. The name goes into
 * each symmetric material's description and onto paper as written, and the import request
 * carries it across the gap: both the plan and the request are held to this one pattern.
 */
export const CEREMONY_NAME = /^(?=.{1,64}$)[A-Za-z0-9](?:[A-Za-z0-9._:/-]| (?=[^ ]))*$/;

/** What CEREMONY_NAME accepts, in words, for problem lists. */
export const CEREMONY_NAME_RULE =
  'a name of 1–64 ASCII letters, digits, single spaces and ._:/- starting with a letter or digit';
