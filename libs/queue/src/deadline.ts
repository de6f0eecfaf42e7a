/**
 * What a delayed job should do when it runs, given the deadline it was scheduled for and the one
 * the database holds now: `superseded` when the deadline moved or went (a newer job carries the
 * new one), `early` when the job fired before it (clock skew: schedule it again), else `due`.
 */
export function deadlineStatus(current: Date | null, scheduledFor: string, now: Date): 'superseded' | 'early' | 'due' {
  if (!current || current.toISOString() !== scheduledFor) return 'superseded';
  return current.getTime() > now.getTime() ? 'early' : 'due';
}
