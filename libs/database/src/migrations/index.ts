import { Foundation1764000000000 } from './1764000000000-foundation';
import { OutboxFanOut1764000000001 } from './1764000000001-outbox-fan-out';
import { Listings1764000000002 } from './1764000000002-listings';
import { Payments1764000000100 } from './1764000000100-payments';
import { SearchTuning1764000000300 } from './1764000000300-search-tuning';
import { Auctions1764000000400 } from './1764000000400-auctions';
import { OutboxSweep1764000000500 } from './1764000000500-outbox-sweep';
import { SearchSpeed1764000000600 } from './1764000000600-search-speed';
import { AuctionVersion1764000000700 } from './1764000000700-auction-version';
import { ListingGeneration1764000000800 } from './1764000000800-listing-generation';
import { SearchWalk1764000002000 } from './1764000002000-search-walk';
import { AuctionHardening1764000003000 } from './1764000003000-auction-hardening';
import { OutboxDeadlines1764000005000 } from './1764000005000-outbox-deadlines';
import { HeldDepositView1764000009000 } from './1764000009000-held-deposit-view';
import { Negotiations1764000020000 } from './1764000020000-negotiations';
import { Contracts1764000030000 } from './1764000030000-contracts';
import { RiskRelations1764000040000 } from './1764000040000-risk-relations';
import { Registration1764000030001 } from './1764000030001-registration';
import { RiskScreening1764000041000 } from './1764000041000-risk-screening';
import { Credit1764000042000 } from './1764000042000-credit';
import { Stats1764000050000 } from './1764000050000-stats';
import { Performance1764000030002 } from './1764000030002-performance';
import { DemonstrationCounties1764000050001 } from './1764000050001-demonstration-counties';
import { RegistrationQueueIndex1764000030003 } from './1764000030003-registration-queue-index';
import { StatsGeneration1764000050002 } from './1764000050002-stats-generation';
import { RegistrationQueueEntries1764000060000 } from './1764000060000-registration-queue-entries';
import { CreditMarketEvents1764000065000 } from './1764000065000-credit-market-events';
import { RiskIpIndexDirect1764000066000 } from './1764000066000-risk-ip-index-direct';
import { ContractTermination1764000070000 } from './1764000070000-contract-termination';
import { MilestoneHistory1764000071000 } from './1764000071000-milestone-history';
import { DepositRefundDue1764000080000 } from './1764000080000-deposit-refund-due';

/** Every migration, in order. A new one is generated next to these and added here. */
export const MIGRATIONS = [
  Foundation1764000000000,
  OutboxFanOut1764000000001,
  Listings1764000000002,
  Payments1764000000100,
  SearchTuning1764000000300,
  Auctions1764000000400,
  OutboxSweep1764000000500,
  SearchSpeed1764000000600,
  AuctionVersion1764000000700,
  ListingGeneration1764000000800,
  SearchWalk1764000002000,
  AuctionHardening1764000003000,
  OutboxDeadlines1764000005000,
  HeldDepositView1764000009000,
  Negotiations1764000020000,
  Contracts1764000030000,
  Registration1764000030001,
  Performance1764000030002,
  RegistrationQueueIndex1764000030003,
  RiskRelations1764000040000,
  RiskScreening1764000041000,
  Credit1764000042000,
  Stats1764000050000,
  DemonstrationCounties1764000050001,
  StatsGeneration1764000050002,
  RegistrationQueueEntries1764000060000,
  CreditMarketEvents1764000065000,
  RiskIpIndexDirect1764000066000,
  ContractTermination1764000070000,
  MilestoneHistory1764000071000,
  DepositRefundDue1764000080000,
];
