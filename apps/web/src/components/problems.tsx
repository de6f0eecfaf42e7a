import { Alert, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { ApiProblem } from '../api/client';
import type { Lang } from '../format';
import { ERROR_TEXTS, FIELD_TEXTS, useT } from '../i18n';

/** A problem's text in the page's language, by its stable code; the api's detail where we have none. */
export function problemText(error: unknown, lang: Lang): string {
  if (error instanceof ApiProblem) {
    const known = ERROR_TEXTS[error.code] ?? (error.code.endsWith('.NOT_FOUND') ? ERROR_TEXTS.HTTP_404 : undefined);
    const text = known ? known[lang === 'zh' ? 0 : 1] : error.message;
    return lang === 'zh' ? `${text}（${error.code}）` : `${text} (${error.code})`;
  }
  return lang === 'zh' ? '网络错误，请重试' : 'Network error; please retry';
}

function fieldMessage(field: string, message: string, lang: Lang): string {
  // The most particular name first: `instalments.amountFen` (an instalment's amount) before `amountFen` (a bid).
  const parts = field.split('.').filter((part) => !/^\d+$/.test(part));
  const pair = parts.slice(-2).join('.');
  const leaf = FIELD_TEXTS[pair] ? pair : ([...parts].reverse().find((part) => FIELD_TEXTS[part]) ?? field);
  const name = FIELD_TEXTS[leaf]?.[lang === 'zh' ? 0 : 1] ?? field;
  return lang === 'zh' ? `${name}不符合要求：${message}` : `${name} is not valid: ${message}`;
}

interface Placement {
  fields: string[];
  /** The API's field names the form calls otherwise (`askingPriceFen` is the form's `askingPrice`, in yuan). */
  rename?: Record<string, string>;
}

/** A field error's path in the form's terms (`ipItems[0].number` → `ipItems.0.number`), or null if no field takes it. */
function formPath(field: string, { fields, rename = {} }: Placement): string | null {
  const [first, ...rest] = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  const top = rename[first] ?? first;
  return fields.includes(top) ? [top, ...rest].join('.') : null;
}

/** Puts a problem's field errors next to the fields they name, in the page's language. */
function placeFieldErrors(form: FormInstance, error: ApiProblem, lang: Lang, placement: Placement): void {
  const byField = new Map<string, string[]>();
  for (const fieldError of error.errors) {
    const path = formPath(fieldError.field, placement);
    if (path)
      byField.set(path, [...(byField.get(path) ?? []), fieldMessage(fieldError.field, fieldError.message, lang)]);
  }
  form.setFields(
    [...byField].map(([path, errors]) => ({
      name: path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      errors,
    })),
  );
}

/** What goes in the alert above the form: the problem by its code, and the field errors no field took. */
function alertMessages(error: unknown, lang: Lang, placement: Placement | null): string[] {
  if (!(error instanceof ApiProblem)) return [problemText(error, lang)];
  const rest = error.errors.filter((e) => !placement || formPath(e.field, placement) === null);
  return [problemText(error, lang), ...rest.map((e) => fieldMessage(e.field, e.message, lang))];
}

/**
 * The last problem of a form's action, shown in the page's language, and again in the other one
 * when the language changes: field errors next to their fields, the rest in an alert.
 */
export function useProblem(form?: FormInstance, fields: string[] = [], rename?: Record<string, string>) {
  const { lang } = useT();
  const [error, setError] = useState<unknown>(null);
  const key = fields.join(',');
  useEffect(() => {
    if (form && error instanceof ApiProblem) placeFieldErrors(form, error, lang, { fields: key.split(','), rename });
    // `rename` is a constant of each form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form, error, lang, key]);
  const messages = error === null ? [] : alertMessages(error, lang, form ? { fields, rename } : null);
  return { error, messages, report: setError, clear: () => setError(null) };
}

export function ProblemAlert({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <Alert
      role="alert"
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={messages[0]}
      description={messages.length > 1 ? messages.slice(1).join('；') : undefined}
    />
  );
}
