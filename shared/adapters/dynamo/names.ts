import * as z from 'zod/mini';
import { ThaiName } from '#domain/primitives';
import type { TableDeps } from './bind.ts';
import { keys } from './keys.ts';
import { getItem } from './query.ts';

/*
 * The names a message about an assessment prints, read alone: one attribute of the assessment's
 * or the agency's item (a projection), parsed by the one field's schema. A function that only
 * names things (the notifier, telling the secretariat a LINE group is gone) neither parses a whole
 * assessment or agency summary nor builds their schemas at load: this module imports none of
 * `model.ts`.
 */

const UnitName = z.object({ unitName: ThaiName });
/** The summary holds the agency's profile under `agency` (`AgencySummary`). */
const AgencyName = z.object({ agency: z.object({ nameTh: ThaiName }) });

/** The unit's Thai name, or null when the assessment does not exist. */
export const getUnitName = async (deps: TableDeps, assessmentId: string): Promise<string | null> => {
  const item = await getItem(deps, keys.assessment(assessmentId), 'unitName');
  return item ? UnitName.parse(item).unitName : null;
};

/** The agency's Thai name, or null when the agency is not in the assessment. */
export const getAgencyName = async (
  deps: TableDeps,
  assessmentId: string,
  agencyId: string,
): Promise<string | null> => {
  const item = await getItem(deps, keys.agencySummary(assessmentId, agencyId), 'agency.nameTh');
  return item ? AgencyName.parse(item).agency.nameTh : null;
};
