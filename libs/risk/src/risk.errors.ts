import { DomainError, NotFoundError } from '@market/http';
import type { CsvProblem } from './domain/relations-csv';

export const RiskErrors = {
  relationNotFound: (id: string) => new NotFoundError('relation', id),
  relationExists: (id: string) =>
    new DomainError(
      'RISK.RELATION_EXISTS',
      'conflict',
      'These two organizations already have a relation of this kind',
      {
        relationId: id,
      },
    ),
  relationInvalid: (message: string) =>
    new DomainError('RISK.RELATION_INVALID', 'unprocessable', `The relation is refused: ${message}`),
  csvInvalid: (problems: CsvProblem[]) =>
    new DomainError(
      'RISK.CSV_INVALID',
      'unprocessable',
      `The file was not imported: ${problems.length} line(s) are wrong`,
      {
        problems,
      },
    ),
};
