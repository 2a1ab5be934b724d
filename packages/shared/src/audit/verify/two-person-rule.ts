import { operatorNameCollisions } from '../../validation/operator-name.js';
import type { LoggedEntry } from '../verify-chain.js';
import {
  MATERIAL_CHANGE_COMMANDS,
  SINGLE_OPERATOR_EXCEPTION,
  TWO_PERSON_COMMANDS,
} from './ceremony-commands.js';
import { where, type Report } from './report.js';

/**
 * A successful wrap, import or material change names two operators who are two people (or one
 * with the single-operator exception, reported as such).
 */
export function checkTwoPersonRule(e: LoggedEntry, report: Report): void {
  const { entry } = e;
  const ruled =
    TWO_PERSON_COMMANDS.includes(entry.command) || MATERIAL_CHANGE_COMMANDS.includes(entry.command);
  if (!ruled || entry.outcome !== 'ok') return;
  const collisions = operatorNameCollisions(entry.operators);
  if (collisions.length > 0) {
    report(
      'error',
      'operator-name-collision',
      e,
      `${where(e)} breaks the two-person rule: ${collisions.map(([a, b]) => `${JSON.stringify(a)} and ${JSON.stringify(b)}`).join(', ')} name one person (same letters up to case, compatibility forms or look-alike characters)`,
    );
    return;
  }
  if (entry.operators.length >= 2) return;
  if (entry.operators.length === 1 && entry.exceptions.includes(SINGLE_OPERATOR_EXCEPTION)) {
    report(
      'exception',
      'single-operator',
      e,
      `${where(e)} was done by ${entry.operators[0]!} alone (--single-operator): acceptable for a rehearsal only`,
    );
    return;
  }
  report(
    'error',
    'two-person-rule',
    e,
    `${where(e)} breaks the two-person rule: operators ${JSON.stringify(entry.operators)}`,
  );
}
