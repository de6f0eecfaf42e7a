import type { ValueTransformer } from 'typeorm';

/** bigint fen columns come back from pg as strings; amounts stay far below 2^53 fen. */
export const fenTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
