import { ApiProperty } from '@nestjs/swagger';
import { RISK_RULES, RiskRule } from '../domain/finding';

export class FindingSentenceView {
  @ApiProperty() zh: string;
  @ApiProperty() en: string;
}

export class FindingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: RISK_RULES, enumName: 'RiskRule' }) rule: RiskRule;
  @ApiProperty({ type: 'integer' }) weight: number;
  @ApiProperty({ type: FindingSentenceView }) sentence: FindingSentenceView;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'The rows that made the rule fire, each with its `kind`: contract (parties, amounts, dates, numbers only — also for contracts filed with other offices), relation, price, comparable, item, subject, ip, pace, rating',
  })
  evidence: Record<string, unknown>[];
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['confirmed', 'dismissed', 'refused'],
    description: 'The auditors’ decision on the contract, kept with the finding',
  })
  decision: 'confirmed' | 'dismissed' | 'refused' | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class ContractRiskView {
  @ApiProperty({ format: 'uuid' }) contractId: string;
  @ApiProperty({ type: 'integer', description: '0–100: the findings’ weights added, capped at 100' }) score: number;
  @ApiProperty({ description: 'The score reached the configured flag score' }) flagged: boolean;
  @ApiProperty({ type: 'integer' }) flagScore: number;
  @ApiProperty({ type: String, format: 'date-time' }) screenedAt: string;
  @ApiProperty({ type: FindingView, isArray: true }) findings: FindingView[];
}

export class RuleStatsView {
  @ApiProperty({ enum: RISK_RULES, enumName: 'RiskRule' }) rule: RiskRule;
  @ApiProperty({ type: 'integer', description: 'The configured weight (for poor_credit, a D rating’s)' })
  weight: number;
  @ApiProperty({ type: 'integer' }) findings: number;
  @ApiProperty({ type: 'integer', description: 'On contracts the auditors confirmed false' }) confirmed: number;
  @ApiProperty({ type: 'integer', description: 'On contracts the auditors registered' }) dismissed: number;
  @ApiProperty({ type: 'integer', description: 'On contracts refused for another reason' }) refused: number;
  @ApiProperty({ type: 'integer' }) undecided: number;
  @ApiProperty({ type: Number, nullable: true, description: 'confirmed / (confirmed + dismissed); null before any' })
  confirmationRate: number | null;
}

export class RiskRulesView {
  @ApiProperty({ type: 'integer' }) flagScore: number;
  @ApiProperty({ type: RuleStatsView, isArray: true }) rules: RuleStatsView[];
}
