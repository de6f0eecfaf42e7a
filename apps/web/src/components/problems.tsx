import { Alert, type FormInstance } from 'antd';
import { ApiProblem } from '../api/client';
import type { Lang } from '../format';
import { ERROR_TEXTS, FIELD_TEXTS } from '../i18n';

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
  const leaf = field.split('.').find((part) => FIELD_TEXTS[part]) ?? field;
  const name = FIELD_TEXTS[leaf]?.[lang === 'zh' ? 0 : 1] ?? field;
  return lang === 'zh' ? `${name}不符合要求：${message}` : `${name} is not valid: ${message}`;
}

/**
 * Shows a problem's field errors next to the fields they name (`ipItems.0.number` is the number of
 * the first IP item); returns what no field of the form took, for an alert above it.
 */
export function showProblem(
  form: FormInstance | undefined,
  error: unknown,
  lang: Lang,
  fields: string[] = [],
): string[] {
  if (!(error instanceof ApiProblem)) return [problemText(error, lang)];
  const placed = new Set<number>();
  if (form) {
    const byField = new Map<string, string[]>();
    error.errors.forEach((fieldError, index) => {
      const path = fieldError.field;
      const top = path.split('.')[0];
      if (!fields.includes(top)) return;
      placed.add(index);
      byField.set(path, [...(byField.get(path) ?? []), fieldMessage(path, fieldError.message, lang)]);
    });
    form.setFields(
      [...byField].map(([path, errors]) => ({
        name: path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
        errors,
      })),
    );
  }
  const rest = error.errors.filter((_, index) => !placed.has(index)).map((e) => fieldMessage(e.field, e.message, lang));
  return [problemText(error, lang), ...rest];
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
