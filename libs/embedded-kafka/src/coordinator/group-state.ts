/**
 * States of a classic consumer group, spelled exactly as Kafka's DescribeGroups
 * and ListGroups report them.
 *
 * ```
 * Empty --join--> PreparingRebalance --all joined--> CompletingRebalance --leader sync--> Stable
 *   ^                 |   ^                                |                               |
 *   +--no members-----+   +-----member joins/leaves/fails--+-------------------------------+
 * any state --DeleteGroups / offsets expired--> Dead
 * ```
 */
export const GroupState = {
  EMPTY: 'Empty',
  PREPARING_REBALANCE: 'PreparingRebalance',
  COMPLETING_REBALANCE: 'CompletingRebalance',
  STABLE: 'Stable',
  DEAD: 'Dead',
} as const;

/** One of the {@link GroupState} strings. */
export type GroupStateName = (typeof GroupState)[keyof typeof GroupState];

/** Which states a group may enter each state from (Kafka's GroupState.validPreviousStates). */
export const VALID_PREVIOUS_STATES: Readonly<Record<GroupStateName, readonly GroupStateName[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};
