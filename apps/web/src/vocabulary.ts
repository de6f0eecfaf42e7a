import type { Lang } from './format';

/** The API's enumerations by their Chinese names (the market's own words) and in English. */
type Names = Record<string, { zh: string; en: string }>;

export const TECHNICAL_FIELDS: Names = {
  high_end_equipment: { zh: '高端装备制造', en: 'High-end equipment' },
  new_materials: { zh: '新材料', en: 'New materials' },
  next_gen_it: { zh: '新一代信息技术', en: 'Next-generation IT' },
  new_energy: { zh: '新能源', en: 'New energy' },
  modern_agriculture: { zh: '现代农业', en: 'Modern agriculture' },
  population_health: { zh: '人口健康', en: 'Population health' },
  resources_environment: { zh: '资源与环保', en: 'Resources and environment' },
  cultural_creative: { zh: '文化创意', en: 'Cultural and creative' },
  public_safety: { zh: '公共安全与应急', en: 'Public safety and emergency' },
  modern_services: { zh: '现代服务业', en: 'Modern services' },
};

export const MATURITIES: Names = {
  lab: { zh: '实验室阶段', en: 'Laboratory' },
  small_pilot: { zh: '小试', en: 'Small pilot' },
  pilot: { zh: '中试', en: 'Pilot' },
  industrialized: { zh: '产业化', en: 'Industrialized' },
};

export const PRICING_MODES: Names = {
  negotiated: { zh: '协议定价', en: 'Negotiated' },
  listed: { zh: '挂牌交易', en: 'Listed price' },
  auction: { zh: '拍卖', en: 'Auction' },
};

export const TRANSFER_MODES: Names = {
  assignment: { zh: '转让', en: 'Assignment' },
  exclusive_license: { zh: '独占许可', en: 'Exclusive license' },
  sole_license: { zh: '排他许可', en: 'Sole license' },
  non_exclusive_license: { zh: '普通许可', en: 'Non-exclusive license' },
  equity: { zh: '作价投资', en: 'Equity investment' },
  co_development: { zh: '合作开发', en: 'Co-development' },
};

export const IP_KINDS: Names = {
  invention_patent: { zh: '发明专利', en: 'Invention patent' },
  utility_model: { zh: '实用新型', en: 'Utility model' },
  design: { zh: '外观设计', en: 'Design patent' },
  software_copyright: { zh: '软件著作权', en: 'Software copyright' },
  know_how: { zh: '技术秘密', en: 'Know-how' },
  plant_variety: { zh: '植物新品种', en: 'Plant variety' },
  ic_layout: { zh: '集成电路布图设计', en: 'IC layout design' },
};

export const IP_LEGAL_STATUSES: Names = {
  pending: { zh: '审查中', en: 'Pending' },
  granted: { zh: '已授权', en: 'Granted' },
  lapsed: { zh: '已失效', en: 'Lapsed' },
  invalidated: { zh: '已无效', en: 'Invalidated' },
};

export const LISTING_STATUSES: Names = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '待审核', en: 'Awaiting review' },
  announced: { zh: '公示中', en: 'Announced' },
  open: { zh: '交易中', en: 'Open' },
  under_contract: { zh: '合同签订中', en: 'Under contract' },
  sold: { zh: '已成交', en: 'Sold' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  expired: { zh: '已过期', en: 'Expired' },
};

export const AUCTION_STATUSES: Names = {
  scheduled: { zh: '即将开始', en: 'Upcoming' },
  open: { zh: '竞价中', en: 'Bidding open' },
  closed: { zh: '已结束', en: 'Closed' },
  settled: { zh: '已成交', en: 'Settled' },
  failed: { zh: '流拍', en: 'Failed' },
};

export const AUCTION_KINDS: Names = {
  english: { zh: '增价拍卖', en: 'English (ascending)' },
  sealed: { zh: '密封竞价', en: 'Sealed bid' },
};

export const DEPOSIT_STATUSES: Names = {
  pending: { zh: '待缴纳', en: 'Awaiting payment' },
  held: { zh: '已冻结', en: 'Held' },
  capturing: { zh: '扣划中', en: 'Being captured' },
  releasing: { zh: '退还中', en: 'Being released' },
  released: { zh: '已退还', en: 'Released' },
  captured: { zh: '已扣划', en: 'Captured' },
  failed: { zh: '失败', en: 'Failed' },
  canceled: { zh: '已取消', en: 'Canceled' },
};

export const OBJECTION_STATUSES: Names = {
  awaiting_answer: { zh: '待答复', en: 'Awaiting answer' },
  answered: { zh: '已答复', en: 'Answered' },
  upheld: { zh: '异议成立', en: 'Upheld' },
  dismissed: { zh: '异议驳回', en: 'Dismissed' },
};

export const ROLES: Names = {
  seller: { zh: '卖方', en: 'Seller' },
  buyer: { zh: '买方', en: 'Buyer' },
  broker: { zh: '技术经理人', en: 'Broker' },
  auditor: { zh: '登记审核员', en: 'Auditor' },
  admin: { zh: '管理员', en: 'Admin' },
  finance: { zh: '财务', en: 'Finance' },
};

export const NEGOTIATION_STATUSES: Names = {
  open: { zh: '磋商中', en: 'Open' },
  agreed: { zh: '已达成', en: 'Agreed' },
  announced: { zh: '价格公示中', en: 'Price announced' },
  final: { zh: '已成交', en: 'Final' },
  annulled: { zh: '已撤销', en: 'Annulled' },
  rejected: { zh: '已拒绝', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  expired: { zh: '已过期', en: 'Expired' },
  closed: { zh: '已关闭', en: 'Closed' },
};

export const OFFER_STATUSES: Names = {
  awaiting_confirmation: { zh: '待委托方确认', en: 'Awaiting confirmation' },
  open: { zh: '待答复', en: 'Standing' },
  accepted: { zh: '已接受', en: 'Accepted' },
  rejected: { zh: '已拒绝', en: 'Rejected' },
  superseded: { zh: '已被还价', en: 'Countered' },
  expired: { zh: '已过期', en: 'Expired' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  closed: { zh: '已关闭', en: 'Closed' },
  discarded: { zh: '已作废', en: 'Discarded' },
};

export const SIDES: Names = {
  buyer: { zh: '买方', en: 'Buyer' },
  seller: { zh: '卖方', en: 'Seller' },
  broker: { zh: '技术经理人', en: 'Broker' },
  admin: { zh: '管理员', en: 'Admin' },
};

export const EXCLUSIVITIES: Names = {
  exclusive: { zh: '独占', en: 'Exclusive' },
  sole: { zh: '排他', en: 'Sole' },
  non_exclusive: { zh: '普通', en: 'Non-exclusive' },
};

export const SCHEDULE_KINDS: Names = {
  lump_sum: { zh: '一次性支付', en: 'Lump sum' },
  instalments: { zh: '分期支付', en: 'Instalments' },
  royalty: { zh: '入门费＋提成', en: 'Down payment and royalty' },
};

export function named(names: Names, value: string | null | undefined, lang: Lang): string {
  if (!value) return '—';
  return names[value]?.[lang] ?? value;
}

export function options(names: Names, lang: Lang): { value: string; label: string }[] {
  return Object.entries(names).map(([value, name]) => ({ value, label: name[lang] }));
}

export const ORGANIZATION_KINDS: Names = {
  university: { zh: '高等院校', en: 'University' },
  institute: { zh: '科研院所', en: 'Research institute' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  agency: { zh: '技术转移机构', en: 'Technology transfer agency' },
  registry: { zh: '技术合同登记机构', en: 'Contract registry office' },
  operator: { zh: '市场运营方', en: 'Market operator' },
};
