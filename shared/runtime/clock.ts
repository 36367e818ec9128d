/**
 * The time the scheduled functions act at. In AWS it is the real time; the local system replaces
 * it with its movable clock (`npm run clock`), so milestones fire on the plan's dates.
 */
let localNow: (() => Date) | undefined;

export const useLocalClock = (now: (() => Date) | undefined): void => {
  localNow = now;
};

export const clockNow = (): Date => (localNow ? localNow() : new Date());
