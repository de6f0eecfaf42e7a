import type { OrganizationRelationKind } from './screening-input';

export const RELATION_KINDS: readonly OrganizationRelationKind[] = [
  'shareholding',
  'legal_representative',
  'registered_address',
  'control',
];

/** One relation as an admin enters it: two organizations by their unified social credit codes. */
export interface RelationFacts {
  partyAUscc: string;
  partyAName: string;
  partyBUscc: string;
  partyBName: string;
  kind: OrganizationRelationKind;
  /** Shareholding only: A holds this percentage of B (0 < x ≤ 100). */
  sharePercent: number | null;
  source: string | null;
}

export interface CsvProblem {
  line: number;
  message: string;
}

export const RELATIONS_CSV_HEADER = [
  'party_a_uscc',
  'party_a_name',
  'party_b_uscc',
  'party_b_name',
  'kind',
  'share_percent',
  'source',
] as const;

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** Why a relation cannot be recorded, or null. `usccProblem` checks a credit code. */
export function relationProblem(r: RelationFacts, usccProblem: (code: string) => string | null): string | null {
  for (const [name, code] of [
    ['party_a_uscc', r.partyAUscc],
    ['party_b_uscc', r.partyBUscc],
  ] as const) {
    const problem = usccProblem(code);
    if (problem) return `${name} ${problem}`;
  }
  if (r.partyAUscc === r.partyBUscc) return 'a relation needs two different organizations';
  if (!r.partyAName.trim() || !r.partyBName.trim()) return 'both organizations need their names';
  if (!RELATION_KINDS.includes(r.kind)) return `kind must be one of ${RELATION_KINDS.join(', ')}`;
  if (r.kind === 'shareholding') {
    if (r.sharePercent === null || !Number.isFinite(r.sharePercent) || r.sharePercent <= 0 || r.sharePercent > 100) {
      return 'a shareholding needs share_percent above 0 and at most 100';
    }
  } else if (r.sharePercent !== null) return 'share_percent is for shareholdings only';
  return null;
}

/**
 * Reads an admin's CSV of relations (header `party_a_uscc,party_a_name,party_b_uscc,party_b_name,
 * kind,share_percent,source`). Every bad line is named; the caller imports nothing unless all are good.
 */
export function readRelationsCsv(
  text: string,
  usccProblem: (code: string) => string | null,
): { relations: RelationFacts[]; problems: CsvProblem[] } {
  const rows = parseCsv(text);
  const problems: CsvProblem[] = [];
  const relations: RelationFacts[] = [];
  const lines: number[] = [];
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  if (RELATIONS_CSV_HEADER.some((h, i) => header[i] !== h)) {
    return { relations, problems: [{ line: 1, message: `the first line must be ${RELATIONS_CSV_HEADER.join(',')}` }] };
  }
  rows.slice(1).forEach((fields, i) => {
    const line = i + 2;
    if (fields.length !== RELATIONS_CSV_HEADER.length) {
      problems.push({ line, message: `expected ${RELATIONS_CSV_HEADER.length} fields, found ${fields.length}` });
      return;
    }
    const [aUscc, aName, bUscc, bName, kind, share, source] = fields.map((f) => f.trim());
    const facts: RelationFacts = {
      partyAUscc: aUscc.toUpperCase(),
      partyAName: aName,
      partyBUscc: bUscc.toUpperCase(),
      partyBName: bName,
      kind: kind as OrganizationRelationKind,
      sharePercent: share === '' ? null : Number(share),
      source: source === '' ? null : source,
    };
    const problem = relationProblem(facts, usccProblem);
    if (problem) problems.push({ line, message: problem });
    else {
      relations.push(facts);
      lines.push(line);
    }
  });
  const seen = new Map<string, number>();
  relations.forEach((r, i) => {
    const key = `${r.partyAUscc}|${r.partyBUscc}|${r.kind}`;
    if (seen.has(key)) problems.push({ line: lines[i], message: `repeats the relation of line ${seen.get(key)}` });
    else seen.set(key, lines[i]);
  });
  problems.sort((x, y) => x.line - y.line);
  return { relations, problems };
}
