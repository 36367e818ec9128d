import { localStandIns } from './stand-ins.ts';

/**
 * The time the functions act at. In AWS it is the real time; the local system passes its movable
 * clock (`npm run clock`) with each invocation (`LocalStandIns`), so milestones fire on the
 * plan's dates.
 */
export const clockNow = (): Date => localStandIns()?.clock?.() ?? new Date();

/**
 * Token issue and expiry: real time even when the local clock is moved, because a token's
 * lifetime is about security, not about the campaign's calendar.
 */
export const tokenClockNow = (): Date => new Date();
