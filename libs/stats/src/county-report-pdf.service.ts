import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { AppConfig } from '@market/config';
import type { CountyReportView, CountySideView } from './dto/counties.dto';
import { PARTY_KIND_LABELS } from './domain/labels';

/**
 * The certificates' approach (libs/contract): the CJK font configured for them
 * (CERTIFICATE_FONT_PATH / CERTIFICATE_FONT_NAME), else the first installed of Debian's
 * fonts-noto-cjk (what CI and the Docker image install) and WenQuanYi; the PDF embeds the subset of
 * glyphs it uses.
 */
const FONT_CANDIDATES: [string, string | undefined][] = [
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
  ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', 'WenQuanYiZenHei'],
];

/** 万元 with two decimals, as the provincial statistics print amounts. */
export const wanYuan = (fen: number) =>
  (fen / 1_000_000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const percent = (value: number | null) => (value === null ? '—' : `${value > 0 ? '+' : ''}${value}%`);

/** A demonstration county's annual report as a printable A4 PDF (Chinese, in an embedded CJK font). */
@Injectable()
export class CountyReportPdf {
  private readonly font: { path: string; name?: string } | null;

  constructor(config: AppConfig) {
    const { certificateFontPath, certificateFontName } = config.registration;
    if (certificateFontPath) this.font = { path: certificateFontPath, name: certificateFontName };
    else {
      const found = FONT_CANDIDATES.find(([path]) => existsSync(path));
      this.font = found ? { path: found[0], name: found[1] } : null;
    }
  }

  async render(report: CountyReportView, generatedOn: string): Promise<Buffer> {
    if (!this.font) throw new Error('No CJK font for reports: install fonts-noto-cjk or set CERTIFICATE_FONT_PATH');
    const { county, year } = report;
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: `${county.name}科技成果转移转化示范县 ${year}年度技术市场数据`, Author: '潇湘技术大市场' },
    });
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    doc.registerFont('cjk', this.font.path, this.font.name);
    doc.font('cjk');
    doc.fontSize(18).text(`${county.name}科技成果转移转化示范县`, { align: 'center' });
    doc.fontSize(14).text(`${year}年度建设情况报告 · 技术市场数据`, { align: 'center' });
    doc.moveDown(0.3).fontSize(9).fillColor('#555555');
    doc.text(`行政区划代码 ${county.regionCode} · 数据来源：潇湘技术大市场技术合同认定登记 · 生成日期 ${generatedOn}`, {
      align: 'center',
    });
    doc.fillColor('#000000').moveDown(1);

    this.heading(doc, '一、基本情况');
    const period = `${county.constructionStartYear}—${county.constructionEndYear}年`;
    const stage = report.constructionYear ? `（建设第${report.constructionYear}年）` : '（不在建设期内）';
    this.line(doc, `建设期：${period}${stage}`);
    this.line(doc, `特色产业：${county.featuredIndustries.map((i) => i.name).join('、')}`);

    this.heading(doc, '二、技术合同成交情况（金额单位：万元）');
    this.side(doc, '技术输出（卖方在本县）', report.output, year);
    this.side(doc, '技术吸纳（买方在本县）', report.absorption, year);

    this.heading(doc, `三、科技成果转化（${report.achievementsTransferred.length}项）`);
    if (report.achievementsTransferred.length === 0) this.line(doc, '本年度无挂牌成果达成登记合同。');
    for (const a of report.achievementsTransferred) {
      this.line(
        doc,
        `${a.registeredOn}  ${a.projectName}（${a.sellerName}）  技术交易额 ${wanYuan(a.technologyAmountFen)}`,
      );
    }

    this.heading(doc, '四、特色产业');
    for (const i of report.featuredIndustries) {
      this.line(
        doc,
        `${i.name}：${i.technicalField ? `${i.contracts}项，技术交易额 ${wanYuan(i.technologyAmountFen)}` : '未对应技术领域，不单列'}`,
      );
    }

    this.heading(doc, `五、参与机构（${report.institutions.length}家）`);
    for (const i of report.institutions) {
      this.line(doc, `${i.name}（${PARTY_KIND_LABELS[i.kind] ?? i.kind}）  输出 ${i.asSeller}项  吸纳 ${i.asBuyer}项`);
    }
    this.heading(doc, `六、技术经纪机构（${report.brokers.length}家）`);
    for (const b of report.brokers) this.line(doc, `${b.name}  促成 ${b.contracts}项`);
    doc.end();
    return done;
  }

  private heading(doc: PDFKit.PDFDocument, text: string): void {
    doc.moveDown(0.6).fontSize(13).fillColor('#000000').text(text);
    doc.moveDown(0.2);
  }

  private line(doc: PDFKit.PDFDocument, text: string): void {
    doc.fontSize(10).fillColor('#000000').text(text, { indent: 12 });
  }

  private side(doc: PDFKit.PDFDocument, title: string, side: CountySideView, year: number): void {
    this.line(
      doc,
      `${title}：${side.contracts}项，成交额 ${wanYuan(side.totalAmountFen)}，技术交易额 ${wanYuan(side.technologyAmountFen)}；` +
        `${year - 1}年 ${side.previousYear.contracts}项、技术交易额 ${wanYuan(side.previousYear.technologyAmountFen)}；` +
        `同比 项数 ${percent(side.growth.contractsPercent)}、技术交易额 ${percent(side.growth.technologyAmountPercent)}`,
    );
    for (const t of side.byType) {
      this.line(doc, `    ${t.label}：${t.contracts}项，技术交易额 ${wanYuan(t.technologyAmountFen)}`);
    }
  }
}
