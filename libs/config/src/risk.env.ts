import Joi from 'joi';

/**
 * Thresholds and weights of the false-contract rules (docs/risk.md). Fixed in configuration so a
 * registry office can move them, and so the benchmark measures the figures as configured.
 */
export interface RiskEnv {
  /** An application is flagged for the auditors when its score reaches this (0–100). */
  RISK_FLAG_SCORE: number;
  /** Related parties: a shareholding link at or above this percentage. */
  RISK_RELATED_SHAREHOLDING_PERCENT: number;
  /** Round trips: the legs' technology transaction amounts differ by at most this percentage. */
  RISK_ROUND_TRIP_AMOUNT_TOLERANCE_PERCENT: number;
  /** Round trips: every leg signed within this many days of the contract screened. */
  RISK_ROUND_TRIP_WINDOW_DAYS: number;
  /** Price anomaly: fewer comparable registered deals than this → no finding. */
  RISK_PRICE_MIN_COMPARABLES: number;
  /** Price anomaly: robust z-score (median/MAD of log amounts) at or beyond this. */
  RISK_PRICE_ROBUST_Z: number;
  /** Price anomaly: and at least this many times above (or below) the comparables' median. */
  RISK_PRICE_MIN_RATIO: number;
  /** Non-technology subject: the technology transaction amount is at least this share of the total. */
  RISK_NONTECH_TECH_SHARE_PERCENT: number;
  /** Non-technology subject: goods, equipment or works make at least this share of the itemised total. */
  RISK_NONTECH_ITEMS_SHARE_PERCENT: number;
  /** Non-technology subject: non-technical terms make at least this share of the subject's recognised terms. */
  RISK_NONTECH_SUBJECT_SHARE_PERCENT: number;
  /** Amount splitting: the threshold the parts stay under (fen; 5,000,000 yuan by default). */
  RISK_SPLIT_THRESHOLD_FEN: number;
  /** Amount splitting: a part counts when it is within this percentage under the threshold. */
  RISK_SPLIT_MARGIN_PERCENT: number;
  /** Amount splitting: the parts are signed within this many days. */
  RISK_SPLIT_WINDOW_DAYS: number;
  /** Amount splitting: this many parts, the screened contract included. */
  RISK_SPLIT_MIN_CONTRACTS: number;
  /** Year-end surge: the year-end window, in days up to 31 December. */
  RISK_SURGE_YEAR_END_DAYS: number;
  /** Year-end surge: the window's amount is at least this many times the party's usual pace. */
  RISK_SURGE_FACTOR: number;
  /** Year-end surge: a party with fewer earlier contracts in the year before has no history to compare. */
  RISK_SURGE_MIN_HISTORY_CONTRACTS: number;
  RISK_WEIGHT_RELATED_PARTIES: number;
  RISK_WEIGHT_ROUND_TRIP: number;
  RISK_WEIGHT_PRICE_ANOMALY: number;
  RISK_WEIGHT_NON_TECHNOLOGY: number;
  RISK_WEIGHT_AMOUNT_SPLITTING: number;
  RISK_WEIGHT_DOUBLE_SALE: number;
  RISK_WEIGHT_IP_NOT_IN_FORCE: number;
  RISK_WEIGHT_YEAR_END_SURGE: number;
  /** Poor credit: weight of a party or broker rated D, and of one rated C. */
  RISK_WEIGHT_POOR_CREDIT_D: number;
  RISK_WEIGHT_POOR_CREDIT_C: number;
}

const percent = (value: number) => Joi.number().min(0).max(100).default(value);
const weight = (value: number) => Joi.number().integer().min(0).max(100).default(value);
const days = (value: number) => Joi.number().integer().min(1).max(3660).default(value);

export const riskEnvKeys = {
  RISK_FLAG_SCORE: Joi.number().integer().min(1).max(100).default(50),
  RISK_RELATED_SHAREHOLDING_PERCENT: percent(20),
  RISK_ROUND_TRIP_AMOUNT_TOLERANCE_PERCENT: percent(20),
  RISK_ROUND_TRIP_WINDOW_DAYS: days(365),
  RISK_PRICE_MIN_COMPARABLES: Joi.number().integer().min(3).default(10),
  RISK_PRICE_ROBUST_Z: Joi.number().min(1).default(3.5),
  RISK_PRICE_MIN_RATIO: Joi.number().min(1).default(3),
  RISK_NONTECH_TECH_SHARE_PERCENT: percent(90),
  RISK_NONTECH_ITEMS_SHARE_PERCENT: percent(50),
  RISK_NONTECH_SUBJECT_SHARE_PERCENT: percent(60),
  RISK_SPLIT_THRESHOLD_FEN: Joi.number().integer().min(1).default(500_000_000),
  RISK_SPLIT_MARGIN_PERCENT: percent(20),
  RISK_SPLIT_WINDOW_DAYS: days(90),
  RISK_SPLIT_MIN_CONTRACTS: Joi.number().integer().min(2).default(3),
  RISK_SURGE_YEAR_END_DAYS: Joi.number().integer().min(1).max(180).default(45),
  RISK_SURGE_FACTOR: Joi.number().min(1).default(3),
  RISK_SURGE_MIN_HISTORY_CONTRACTS: Joi.number().integer().min(1).default(2),
  RISK_WEIGHT_RELATED_PARTIES: weight(50),
  RISK_WEIGHT_ROUND_TRIP: weight(70),
  RISK_WEIGHT_PRICE_ANOMALY: weight(50),
  RISK_WEIGHT_NON_TECHNOLOGY: weight(60),
  RISK_WEIGHT_AMOUNT_SPLITTING: weight(60),
  RISK_WEIGHT_DOUBLE_SALE: weight(80),
  RISK_WEIGHT_IP_NOT_IN_FORCE: weight(70),
  RISK_WEIGHT_YEAR_END_SURGE: weight(50),
  RISK_WEIGHT_POOR_CREDIT_D: weight(50),
  RISK_WEIGHT_POOR_CREDIT_C: weight(25),
};

/** The risk rules' settings, in the shape libs/risk's rules take (`RiskThresholds`). */
export function riskSettings(env: RiskEnv) {
  return {
    flagScore: env.RISK_FLAG_SCORE,
    relatedParties: {
      shareholdingPercent: env.RISK_RELATED_SHAREHOLDING_PERCENT,
      weight: env.RISK_WEIGHT_RELATED_PARTIES,
    },
    roundTrip: {
      amountTolerancePercent: env.RISK_ROUND_TRIP_AMOUNT_TOLERANCE_PERCENT,
      windowDays: env.RISK_ROUND_TRIP_WINDOW_DAYS,
      weight: env.RISK_WEIGHT_ROUND_TRIP,
    },
    priceAnomaly: {
      minComparables: env.RISK_PRICE_MIN_COMPARABLES,
      robustZ: env.RISK_PRICE_ROBUST_Z,
      minRatio: env.RISK_PRICE_MIN_RATIO,
      weight: env.RISK_WEIGHT_PRICE_ANOMALY,
    },
    nonTechnology: {
      techSharePercent: env.RISK_NONTECH_TECH_SHARE_PERCENT,
      itemsSharePercent: env.RISK_NONTECH_ITEMS_SHARE_PERCENT,
      subjectSharePercent: env.RISK_NONTECH_SUBJECT_SHARE_PERCENT,
      weight: env.RISK_WEIGHT_NON_TECHNOLOGY,
    },
    amountSplitting: {
      thresholdFen: env.RISK_SPLIT_THRESHOLD_FEN,
      marginPercent: env.RISK_SPLIT_MARGIN_PERCENT,
      windowDays: env.RISK_SPLIT_WINDOW_DAYS,
      minContracts: env.RISK_SPLIT_MIN_CONTRACTS,
      weight: env.RISK_WEIGHT_AMOUNT_SPLITTING,
    },
    doubleSale: { weight: env.RISK_WEIGHT_DOUBLE_SALE },
    ipNotInForce: { weight: env.RISK_WEIGHT_IP_NOT_IN_FORCE },
    yearEndSurge: {
      yearEndDays: env.RISK_SURGE_YEAR_END_DAYS,
      factor: env.RISK_SURGE_FACTOR,
      minHistoryContracts: env.RISK_SURGE_MIN_HISTORY_CONTRACTS,
      weight: env.RISK_WEIGHT_YEAR_END_SURGE,
    },
    poorCredit: { weightD: env.RISK_WEIGHT_POOR_CREDIT_D, weightC: env.RISK_WEIGHT_POOR_CREDIT_C },
  };
}

export type RiskSettings = ReturnType<typeof riskSettings>;
