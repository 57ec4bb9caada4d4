import { TaskId } from './state-store';

/** Creates a `TaskId` (`<subtopology>_<partition>`). */
export function taskId(subtopology: number, partition: number): TaskId {
  const text = `${subtopology}_${partition}`;
  return { subtopology, partition, toString: () => text };
}
