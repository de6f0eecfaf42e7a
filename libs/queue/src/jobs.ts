/**
 * Every queue and every job of the market, named once. A job's payload is typed by its name
 * and carries ids and plain JSON, never entities.
 *
 * Each bounded context consumes its own queue. An outbox row names a job; the relay publishes
 * it to every queue in JOB_ROUTES, so one event can reach several contexts, each once.
 */
export enum QueueName {
  Notifications = 'notifications',
}

export enum JobName {
  OrganizationVerified = 'organization.verified',
  DepositHeld = 'deposit.held',
}

export interface JobPayloads {
  [JobName.OrganizationVerified]: { organizationId: string; verifiedAt: string };
  /** A deposit (保证金) is now held: the payer may take part in what it secures. */
  [JobName.DepositHeld]: {
    depositId: string;
    purpose: string;
    referenceId: string;
    payerOrganizationId: string;
    amountFen: number;
    method: string;
    heldAt: string;
  };
}

/** Which queues receive each job. The worker refuses to start unless each pair has one handler. */
export const JOB_ROUTES: Record<JobName, QueueName[]> = {
  [JobName.OrganizationVerified]: [QueueName.Notifications],
  [JobName.DepositHeld]: [QueueName.Notifications],
};

export const ALL_QUEUES: QueueName[] = Object.values(QueueName);
