/**
 * Outcome codes explained for residents in one plain sentence each. The
 * published names ("Investigation complete; no suspect identified") are police
 * terms; people reading the map ask what they mean for them, so each code has
 * a sentence that says what happened, without legal shorthand.
 */
import { outcomeName } from '../crime/categories.ts';

const EXPLANATIONS: Readonly<Record<string, string>> = {
  'awaiting-court-result': 'A suspect has been charged and the case is waiting to be heard or decided in court.',
  'court-result-unavailable': 'The case went to court, but the result has not been passed on to the police yet.',
  'unable-to-proceed': 'The court case was stopped before a verdict, for example because a witness could not give evidence.',
  'local-resolution': 'The police dealt with it informally, for example by an apology or putting right the harm done, without going to court.',
  'no-further-action': 'The police investigated but could not identify a suspect, so the case is closed unless new information comes to light.',
  'deprived-of-property': 'The court ordered the offender to give up property, such as something used to commit the crime.',
  fined: 'The court ordered the offender to pay a fine.',
  'absolute-discharge': 'The offender was found guilty but the court decided no punishment was needed.',
  cautioned: 'The offender admitted the offence and was given a formal warning by the police instead of going to court.',
  'drugs-possession-warning': 'The offender was given a formal police warning for having a small amount of drugs for their own use.',
  'penalty-notice-issued': 'The offender was given an on-the-spot fine by the police instead of going to court.',
  'community-penalty': 'The court gave the offender a community sentence, such as unpaid work or supervision.',
  'conditional-discharge': 'The offender was found guilty and will not be punished unless they offend again within a set time.',
  'suspended-sentence': 'The court gave a prison sentence that the offender will only serve if they break its conditions or offend again.',
  imprisoned: 'The court sent the offender to prison.',
  'other-court-disposal': 'The court dealt with the offender in another way than those listed here.',
  compensation: 'The court ordered the offender to pay compensation to the victim.',
  'sentenced-in-another-case': 'The suspect was charged, and this crime was dealt with as part of a case about other offences.',
  charged: 'The police charged a suspect, so the case goes to court.',
  'not-guilty': 'The case went to court and the defendant was found not guilty.',
  'sent-to-crown-court': 'The case was passed to the Crown Court, which hears the most serious cases.',
  'unable-to-prosecute':
    'The police could not take the case further, for example because the victim did not support action or there was not enough evidence.',
  'formal-action-not-in-public-interest': 'A suspect was identified, but the police or prosecutors decided that formal action would not be in the public interest.',
  'action-taken-by-another-organisation': 'Another organisation, such as a school, council or employer, is dealing with it instead of the police.',
  'further-investigation-not-in-public-interest': 'The police decided that investigating further would not be in the public interest.',
  'further-action-not-in-public-interest': 'The police decided that taking further action would not be in the public interest.',
  'under-investigation': 'The police are still investigating.',
  'status-update-unavailable': 'The police have not published an update on this crime.',
};

/** Said of anti-social behaviour, which data.police.uk publishes without any outcome. */
export const NO_OUTCOMES_FOR_ASB =
  'Anti-social behaviour is recorded as an incident, not a crime, so no outcome is published for it.';

/** Said of a crime that has no outcome in the data yet. */
export const NO_OUTCOME_YET = 'No outcome has been published for this crime yet.';

/**
 * One plain sentence explaining an outcome code to a resident; a code we have no
 * sentence for (a category new upstream) gets its published name instead.
 * @example outcomeExplanation('cautioned') // 'The offender admitted the offence and was given a formal warning…'
 */
export function outcomeExplanation(code: string): string {
  return EXPLANATIONS[code] ?? `Published as "${outcomeName(code)}".`;
}

/** Whether the code has its own plain sentence (tests check every known code has one). */
export function hasOutcomeExplanation(code: string): boolean {
  return code in EXPLANATIONS;
}
