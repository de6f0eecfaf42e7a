import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { AppConfig } from '@market/config';
import type { RegistrationVerificationView } from './dto/registration.dto';

/**
 * CJK fonts looked for when none is configured: Debian's fonts-noto-cjk (what CI and the Docker
 * image install), then WenQuanYi. The PDF embeds the subset of glyphs it uses.
 */
const FONT_CANDIDATES: [string, string | undefined][] = [
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
  ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', 'WenQuanYiZenHei'],
];

const yuan = (fen: number) =>
  `${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

/** The printable registration certificate (技术合同登记证明): Chinese text in an embedded CJK font. */
@Injectable()
export class CertificateService {
  private readonly font: { path: string; name?: string } | null;

  constructor(private readonly config: AppConfig) {
    const { certificateFontPath, certificateFontName } = config.registration;
    if (certificateFontPath) this.font = { path: certificateFontPath, name: certificateFontName };
    else {
      const found = FONT_CANDIDATES.find(([path]) => existsSync(path));
      this.font = found ? { path: found[0], name: found[1] } : null;
    }
  }

  verificationUrl(number: string): string {
    return `${this.config.registration.publicBaseUrl}/api/v1/registrations/verify/${number}`;
  }

  async render(facts: RegistrationVerificationView): Promise<Buffer> {
    if (!this.font)
      throw new Error('No CJK font for certificates: install fonts-noto-cjk or set CERTIFICATE_FONT_PATH');
    const doc = new PDFDocument({
      size: 'A4',
      margin: 64,
      info: { Title: `技术合同登记证明 ${facts.registrationNumber}`, Author: facts.officeName },
    });
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    doc.registerFont('cjk', this.font.path, this.font.name);
    doc.font('cjk');
    doc.fontSize(22).text('技术合同登记证明', { align: 'center' });
    doc.moveDown(0.3).fontSize(11).text('Technology Contract Registration Certificate', { align: 'center' });
    doc.moveDown(1.5);
    const rows: [string, string][] = [
      ['登记编号 Registration number', facts.registrationNumber],
      ['项目名称 Project', facts.projectName],
      ['合同类别 Type', `${facts.contractTypeLabel} (${facts.contractType})`],
      ['卖方 Seller', facts.sellerName],
      ['买方 Buyer', facts.buyerName],
      ['成交额 Contract amount', yuan(facts.totalAmountFen)],
      ['技术交易额 Technology transaction amount', yuan(facts.technologyAmountFen)],
      ['有效期 Validity', `${facts.validFrom ?? '—'} 至 ${facts.validUntil ?? '—'}`],
      ['登记日期 Registered on', facts.registeredOn],
      ['登记机构 Registry office', facts.officeName],
    ];
    for (const [label, value] of rows) {
      doc.fontSize(10).fillColor('#555555').text(label);
      doc.fontSize(13).fillColor('#000000').text(value, { indent: 12 });
      doc.moveDown(0.6);
    }
    doc.moveDown(1).fontSize(10).fillColor('#333333').text('核验地址 Verify at:');
    doc.text(this.verificationUrl(facts.registrationNumber), { link: this.verificationUrl(facts.registrationNumber) });
    doc.end();
    return done;
  }
}
