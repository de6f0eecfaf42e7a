/** Money in yuan (from integer fen) and times in China Standard Time, the market's time. */
export type Lang = 'zh' | 'en';

const MARKET_TZ = 'Asia/Shanghai';

function number(value: number, lang: Lang, digits = 2): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits }).format(value);
}

/** ¥480万 and ¥1.2亿 in Chinese; ¥4,800,000 in English. */
export function money(fen: number | null | undefined, lang: Lang): string {
  if (fen === null || fen === undefined) return '—';
  const yuan = fen / 100;
  if (lang === 'zh') {
    const abs = Math.abs(yuan);
    if (abs >= 1e8) return `¥${number(yuan / 1e8, lang, 4)}亿`;
    if (abs >= 1e4) return `¥${number(yuan / 1e4, lang, 2)}万`;
  }
  return `¥${number(yuan, lang)}`;
}

/** As short as a chart's axis wants it: ¥480万 and ¥1.2亿 in Chinese; ¥4.8M in English. */
export function moneyShort(fen: number, lang: Lang): string {
  if (lang === 'zh') {
    const yuan = fen / 100;
    const abs = Math.abs(yuan);
    if (abs >= 1e8) return `¥${number(yuan / 1e8, lang, 1)}亿`;
    if (abs >= 1e4) return `¥${number(yuan / 1e4, lang, 1)}万`;
    return `¥${number(yuan, lang, 0)}`;
  }
  return `¥${new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(fen / 100)}`;
}

export const yuanToFen = (yuan: number) => Math.round(yuan * 100);
export const fenToYuan = (fen: number) => fen / 100;

const parts = (iso: string, lang: Lang, withSeconds: boolean) =>
  new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: MARKET_TZ,
    year: 'numeric',
    month: lang === 'zh' ? 'long' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).format(new Date(iso));

/** 2026年11月29日 22:30（北京时间） / 29 Nov 2026, 22:30 CST */
export function time(iso: string | null | undefined, lang: Lang, withSeconds = false): string {
  if (!iso) return '—';
  const text = parts(iso, lang, withSeconds);
  return lang === 'zh' ? `${text}（北京时间）` : `${text} CST`;
}

/** A calendar day of the market (`2026-11-20`, already Beijing's): 2026年11月20日 / 20 Nov 2026. */
export function day(isoDay: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    year: 'numeric',
    month: lang === 'zh' ? 'long' : 'short',
    day: 'numeric',
  }).format(new Date(`${isoDay}T00:00:00Z`));
}

/** 2天 3小时 / 2d 3h 04m 05s: what is left until `iso`. */
export function remaining(ms: number, lang: Lang): string {
  if (ms <= 0) return lang === 'zh' ? '已结束' : 'ended';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (lang === 'zh') return `${d > 0 ? `${d}天 ` : ''}${pad(h)}时${pad(m)}分${pad(sec)}秒`;
  return `${d > 0 ? `${d}d ` : ''}${pad(h)}h ${pad(m)}m ${pad(sec)}s`;
}
