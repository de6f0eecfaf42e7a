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
  /** A CJK font file for certificates (TrueType/OpenType, or a collection); empty: the first installed of the usual ones. */
  CERTIFICATE_FONT_PATH?: string;
  /** The font's PostScript name inside a collection (.ttc). */
  CERTIFICATE_FONT_NAME?: string;
  /** Where the public verification page is reached, printed on certificates. */
  PUBLIC_BASE_URL: string;
}

export const contractEnvKeys = {
  REGISTRATION_DECISION_WORKING_DAYS: Joi.number().integer().min(1).max(365).default(15),
  REGISTRATION_EXTENDED_WORKING_DAYS: Joi.number().integer().min(1).max(365).default(30),
  REGISTRATION_EXTENDED_AMOUNT_FEN: Joi.number().integer().min(1).default(500_000_000),
  REGISTRATION_DUE_SOON_WORKING_DAYS: Joi.number().integer().min(0).max(30).default(3),
  CERTIFICATE_FONT_PATH: Joi.string().empty(''),
  CERTIFICATE_FONT_NAME: Joi.string().empty(''),
  PUBLIC_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('http://localhost:3000'),
};

export function contractSettings(env: ContractEnv) {
  return {
    decisionWorkingDays: env.REGISTRATION_DECISION_WORKING_DAYS,
    extendedWorkingDays: env.REGISTRATION_EXTENDED_WORKING_DAYS,
    extendedAmountFen: env.REGISTRATION_EXTENDED_AMOUNT_FEN,
    dueSoonWorkingDays: env.REGISTRATION_DUE_SOON_WORKING_DAYS,
    certificateFontPath: env.CERTIFICATE_FONT_PATH,
    certificateFontName: env.CERTIFICATE_FONT_NAME,
    publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/$/, ''),
  };
}
