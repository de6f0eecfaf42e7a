/**
 * Every queue and every job of the market, named once. A job's payload is typed by its name
 * and carries ids and plain JSON, never entities.
 */
export enum QueueName {
  Notifications = 'notifications',
}

export enum JobName {
  OrganizationVerified = 'organization.verified',
}

export interface JobPayloads {
  [JobName.OrganizationVerified]: { organizationId: string; verifiedAt: string };
}

/** Which queue carries each job: one consumer per queue, in the worker. */
export const QUEUE_OF_JOB: Record<JobName, QueueName> = {
  [JobName.OrganizationVerified]: QueueName.Notifications,
};

export const ALL_QUEUES: QueueName[] = Object.values(QueueName);
