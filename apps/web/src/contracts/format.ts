import type { Lang } from '../format';
import { FIELD_TEXTS } from '../i18n';
import { VIOLATION_TEXTS } from './texts';
import { REFUSAL_GROUNDS } from './vocabulary';

/** A calendar day of the market (`2026-04-01`, a day in China Standard Time): 2026年4月1日（北京时间） / 1 Apr 2026 CST. */
export function day(date: string | null | undefined, lang: Lang): string {
  if (!date) return '—';
  const text = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: lang === 'zh' ? 'long' : 'short',
    day: 'numeric',
  }).format(new Date(`${date}T12:00:00+08:00`));
  return lang === 'zh' ? `${text}（北京时间）` : `${text} CST`;
}

const MILESTONE_FIELD = /^milestones[.[](\d+)\]?\.(\w+)$/;
const MILESTONE_PARTS: Record<string, [zh: string, en: string]> = {
  dueOn: ['到期日', 'due date'],
  amountFen: ['金额', 'amount'],
  key: ['编号', 'key'],
  title: ['名称', 'title'],
};

/** A field of the API (`seller.regionCode`, `milestones[0].dueOn`) by its name in the page's language. */
export function fieldName(field: string, lang: Lang): string {
  const milestone = MILESTONE_FIELD.exec(field);
  if (milestone) {
    const part = MILESTONE_PARTS[milestone[2]]?.[lang === 'zh' ? 0 : 1] ?? milestone[2];
    const n = Number(milestone[1]) + 1;
    return lang === 'zh' ? `履行节点 ${n} 的${part}` : `Milestone ${n}’s ${part}`;
  }
  const leaf = [...field.split('.')].reverse().find((part) => FIELD_TEXTS[part]);
  return leaf ? FIELD_TEXTS[leaf][lang === 'zh' ? 0 : 1] : field;
}

/** A broken registration rule in the page's language, with the field it names. */
export function violationText(violation: { rule: string; field: string; message: string }, lang: Lang): string {
  const leaf = violation.field.split('.').pop() ?? '';
  const known = VIOLATION_TEXTS[`${violation.rule}.${leaf}`] ?? VIOLATION_TEXTS[violation.rule];
  const text = known ? known[lang === 'zh' ? 0 : 1] : violation.message;
  return `${fieldName(violation.field, lang)}${lang === 'zh' ? '：' : ': '}${text}`;
}

/** Refusal grounds by their names, in the order the registration rules list them. */
export function groundsText(grounds: string[], lang: Lang): string {
  return Object.keys(REFUSAL_GROUNDS)
    .filter((ground) => grounds.includes(ground))
    .map((ground) => REFUSAL_GROUNDS[ground][lang])
    .join(lang === 'zh' ? '；' : '; ');
}

/** A note in brackets: full-width in Chinese, ASCII with a space in English. */
export function paren(text: string, lang: Lang): string {
  return lang === 'zh' ? `（${text}）` : ` (${text})`;
}
