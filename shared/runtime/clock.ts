/**
 * The time the scheduled functions act at. In AWS it is the real time; the local system replaces
 * it with its movable clock (`npm run clock`), so milestones fire on the plan's dates.
 */
let localNow: (() => Date) | undefined;

export const useLocalClock = (now: (() => Date) | undefined): void => {
  localNow = now;
};

export const clockNow = (): Date => (localNow ? localNow() : new Date());

/**
 * Token issue and expiry: real time even when the local clock is moved, because a token's
 * lifetime is about security, not about the campaign's calendar.
 */
export const tokenClockNow = (): Date => new Date();
