import type { SignInRepository } from '#adapters/dynamo/signin-repository';
import type { TokenRepository } from '#adapters/dynamo/token-repository';
import { NotFoundError } from '#domain/errors';
import type { DefaultRecipients } from '#domain/notification-settings';
import { type PeopleAnswer, peopleOf } from '#domain/people';
import { withFallbacks } from './signin.ts';

export type PeopleDeps = {
  signIn: Pick<SignInRepository, 'getDirectory' | 'listLastSignIns'>;
  tokens: Pick<TokenRepository, 'list'>;
  defaults: DefaultRecipients;
  now: () => Date;
};

/**
 * GET /assessments/{id}/people. Steps: 1. the sign-in directory (the overview Query: agencies
 * and settings), with the deployment's fallback addresses as sign-in applies them; 2. the last
 * sign-ins (one Query on the sign-in partition); 3. the assessment's tokens (one Query on its
 * partition); 4. each address with its roles, last sign-in and live sign-in sessions. No Scan.
 */
export const listPeople = async (deps: PeopleDeps, assessmentId: string): Promise<PeopleAnswer> => {
  const [directory, lastSignIns, tokens] = await Promise.all([
    deps.signIn.getDirectory(assessmentId),
    deps.signIn.listLastSignIns(assessmentId),
    deps.tokens.list(assessmentId),
  ]);
  if (!directory) throw new NotFoundError(`assessment ${assessmentId} not found`);
  return {
    assessmentId,
    people: peopleOf(withFallbacks(directory, deps.defaults), lastSignIns, tokens, deps.now()),
  };
};
