import Joi from 'joi';

/**
 * Registration (认定登记) deadlines (docs/contract.md). The 2024 draft measures give 15 working days,
 * 30 for a technology transaction amount of at least 5,000,000 yuan or a disputed case; the 2000
 * measures' figures stay reachable through these settings.
 */
export interface ContractEnv {
  /** Working days an office has to decide, from acceptance (or from the documents it asked for). */
  REGISTRATION_DECISION_WORKING_DAYS: number;
  /** Working days for a large or disputed case. */
  REGISTRATION_EXTENDED_WORKING_DAYS: number;
  /** A technology transaction amount at or above this (fen) gets the extended period. */
  REGISTRATION_EXTENDED_AMOUNT_FEN: number;
  /** A review this many working days or fewer from its deadline is flagged as due soon. */
  REGISTRATION_DUE_SOON_WORKING_DAYS: number;
}

export const contractEnvKeys = {
  REGISTRATION_DECISION_WORKING_DAYS: Joi.number().integer().min(1).max(365).default(15),
  REGISTRATION_EXTENDED_WORKING_DAYS: Joi.number().integer().min(1).max(365).default(30),
  REGISTRATION_EXTENDED_AMOUNT_FEN: Joi.number().integer().min(1).default(500_000_000),
  REGISTRATION_DUE_SOON_WORKING_DAYS: Joi.number().integer().min(0).max(30).default(3),
};

export function contractSettings(env: ContractEnv) {
  return {
    decisionWorkingDays: env.REGISTRATION_DECISION_WORKING_DAYS,
    extendedWorkingDays: env.REGISTRATION_EXTENDED_WORKING_DAYS,
    extendedAmountFen: env.REGISTRATION_EXTENDED_AMOUNT_FEN,
    dueSoonWorkingDays: env.REGISTRATION_DUE_SOON_WORKING_DAYS,
  };
}
