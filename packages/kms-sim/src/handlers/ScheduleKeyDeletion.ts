import { invalidState } from '../errors.js';
import type { Handler } from './context.js';

const DAY = 24 * 60 * 60;

export const scheduleKeyDeletion: Handler<'ScheduleKeyDeletion'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  if (key.deletionDate !== undefined) throw invalidState(`${key.arn} is pending deletion.`);
  const windowDays = input.PendingWindowInDays ?? 30;
  if (key.multiRegionKeyType === 'PRIMARY' && key.replicaArns.some((arn) => state.keys.has(arn))) {
    throw invalidState(
      `${key.arn} is a primary multi-Region key with replicas; delete its replicas first.`,
    );
  }
  key.deletionDate = Math.floor(context.clock.nowSeconds()) + windowDays * DAY;
  key.pendingWindowInDays = windowDays;
  return {
    KeyId: key.arn,
    DeletionDate: key.deletionDate,
    KeyState: 'PendingDeletion',
    PendingWindowInDays: windowDays,
  };
};
