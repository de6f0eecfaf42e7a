/** A byte-order mark first, so spreadsheet programs read the file as UTF-8 and show the Chinese. */
export const UTF8_BOM = '\uFEFF';

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A cell a spreadsheet would take for a formula is quoted with a leading apostrophe (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 lines (CRLF), with the BOM. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return UTF8_BOM + [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
