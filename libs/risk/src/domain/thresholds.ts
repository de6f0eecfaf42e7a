/**
 * The rules' thresholds and weights: the shape of `AppConfig.risk` (libs/config/src/risk.env.ts),
 * restated here so the domain depends on no library.
 */
export interface RiskThresholds {
  flagScore: number;
  relatedParties: { shareholdingPercent: number; weight: number };
  roundTrip: { amountTolerancePercent: number; windowDays: number; weight: number };
  priceAnomaly: { minComparables: number; robustZ: number; minRatio: number; weight: number };
  nonTechnology: { techSharePercent: number; itemsSharePercent: number; subjectSharePercent: number; weight: number };
  amountSplitting: {
    thresholdFen: number;
    marginPercent: number;
    windowDays: number;
    minContracts: number;
    weight: number;
  };
  doubleSale: { weight: number };
  ipNotInForce: { weight: number };
  yearEndSurge: { yearEndDays: number; factor: number; minHistoryContracts: number; weight: number };
  poorCredit: { weightD: number; weightC: number };
}
