/** The contract and registration API's enumerations by their Chinese names (the registration rules' words) and in English. */
type Names = Record<string, { zh: string; en: string }>;

export const CONTRACT_STATUSES: Names = {
  draft: { zh: '草稿', en: 'Draft' },
  signed: { zh: '已签署', en: 'Signed' },
  submitted: { zh: '已申请登记', en: 'Submitted' },
  under_review: { zh: '登记审核中', en: 'Under review' },
  documents_requested: { zh: '待补正材料', en: 'Documents requested' },
  registered: { zh: '已登记', en: 'Registered' },
  refused: { zh: '未予登记', en: 'Refused' },
  confirmed_false: { zh: '认定为虚假合同', en: 'Confirmed false' },
  performing: { zh: '履行中', en: 'Performing' },
  completed: { zh: '已履行完毕', en: 'Completed' },
  terminated: { zh: '已终止', en: 'Terminated' },
};

export const REGISTRATION_STATUSES: Names = {
  screening: { zh: '已提交，风险筛查中', en: 'Submitted, being screened' },
  under_review: { zh: '审核中', en: 'Under review' },
  documents_requested: { zh: '待补正材料', en: 'Documents requested' },
  registered: { zh: '已登记', en: 'Registered' },
  refused: { zh: '未予登记', en: 'Refused' },
  confirmed_false: { zh: '认定为虚假合同', en: 'Confirmed false' },
};

export const REGISTRATION_KINDS: Names = {
  initial: { zh: '认定登记', en: 'Registration' },
  change: { zh: '变更登记', en: 'Change registration' },
  cancellation: { zh: '注销登记', en: 'Cancellation' },
};

export const CONTRACT_TYPES: Names = {
  development: { zh: '技术开发', en: 'Technology development' },
  transfer: { zh: '技术转让', en: 'Technology transfer' },
  license: { zh: '技术许可', en: 'Technology license' },
  consulting: { zh: '技术咨询', en: 'Technology consulting' },
  service: { zh: '技术服务', en: 'Technology service' },
};

export const SUB_KINDS: Names = {
  commissioned: { zh: '委托开发', en: 'Commissioned development' },
  cooperative: { zh: '合作开发', en: 'Cooperative development' },
  patent_right: { zh: '专利权转让', en: 'Patent assignment' },
  patent_application_right: { zh: '专利申请权转让', en: 'Patent application assignment' },
  technical_secret: { zh: '技术秘密转让', en: 'Know-how transfer' },
  software_copyright: { zh: '计算机软件著作权转让', en: 'Software copyright assignment' },
  ic_layout: { zh: '集成电路布图设计专有权转让', en: 'IC layout-design assignment' },
  plant_variety: { zh: '植物新品种权转让', en: 'Plant variety right assignment' },
  biomedicine_variety: { zh: '生物、医药新品种权转让', en: 'Biomedical variety assignment' },
  equity_investment: { zh: '技术入股', en: 'Technology as equity' },
  patent_license: { zh: '专利实施许可', en: 'Patent license' },
  technical_secret_license: { zh: '技术秘密使用许可', en: 'Know-how license' },
  software_copyright_license: { zh: '计算机软件著作权许可', en: 'Software copyright license' },
  ic_layout_license: { zh: '集成电路布图设计专有权许可', en: 'IC layout-design license' },
  plant_variety_license: { zh: '植物新品种权实施许可', en: 'Plant variety license' },
  commissioned_consulting: { zh: '委托咨询', en: 'Commissioned consulting' },
  standing_adviser: { zh: '常年技术顾问', en: 'Standing adviser' },
  technical_service: { zh: '技术服务', en: 'Technical service' },
  training: { zh: '技术培训', en: 'Training' },
  intermediary: { zh: '技术中介', en: 'Intermediary' },
};

export const PARTY_KINDS: Names = {
  enterprise: { zh: '企业', en: 'Enterprise' },
  university: { zh: '高等院校', en: 'University' },
  research_institute: { zh: '科研院所', en: 'Research institute' },
  other_public_institution: { zh: '其他事业单位', en: 'Other public institution' },
  individual: { zh: '自然人', en: 'Individual' },
  other: { zh: '其他', en: 'Other' },
};

export const CONTRACT_SOURCES: Names = {
  listed: { zh: '挂牌交易', en: 'Listed price' },
  auction: { zh: '拍卖', en: 'Auction' },
  negotiation: { zh: '协议定价', en: 'Negotiated' },
  broker: { zh: '技术经理人录入', en: 'Entered by a broker' },
};

export const PRICINGS: Names = {
  fixed: { zh: '一次总算', en: 'Fixed price' },
  royalty: { zh: '入门费＋提成', en: 'Down payment and royalty' },
};

export const MILESTONE_KINDS: Names = {
  deliverable: { zh: '交付', en: 'Deliverable' },
  payment: { zh: '付款', en: 'Payment' },
};

export const MILESTONE_STATUSES: Names = {
  pending: { zh: '未到期', en: 'Pending' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  submitted: { zh: '已交付，待验收', en: 'Delivered, to accept' },
  accepted: { zh: '已验收', en: 'Accepted' },
  disputed: { zh: '有异议，待重新交付', en: 'Disputed, to deliver again' },
  paid: { zh: '已付款', en: 'Paid' },
  superseded: { zh: '已由变更登记取代', en: 'Replaced by a registered change' },
};

/** The eleven grounds of refusal (未予登记) of the registration rules, by their Chinese names. */
export const REFUSAL_GROUNDS: Names = {
  invalid_or_not_in_force: { zh: '合同无效或者尚未生效', en: 'Invalid or not in force' },
  not_technology_contract: { zh: '不属于技术合同', en: 'Not a technology contract' },
  unclear_terms: { zh: '当事人、标的、价款或报酬不明确', en: 'Parties, subject or price unclear' },
  approval_missing: { zh: '应当办理审批手续而未办理', en: 'Required approval missing' },
  name_mismatch: { zh: '合同名称与权利义务不一致', en: 'Name does not match the rights and duties' },
  restrictive_clauses: { zh: '非法垄断技术或者妨碍技术进步', en: 'Monopolizes technology or hinders progress' },
  proofs_missing: { zh: '未提交应当提交的证明文件', en: 'Required proofs missing' },
  seals_mismatch: { zh: '印章缺失或与当事人名称不符', en: 'Seals missing or not the parties’' },
  subject_unclear: { zh: '技术标的不清，登记人员难以认定', en: 'Subject too unclear to assess' },
  infringes_others: { zh: '侵害他人技术成果', en: 'Infringes others’ technology' },
  other: { zh: '其他情形', en: 'Other' },
};

export const DECISIONS: Names = {
  register: { zh: '予以登记', en: 'Register' },
  refuse: { zh: '未予登记', en: 'Refuse' },
  request_documents: { zh: '要求补正材料', en: 'Request documents' },
  confirm_false: { zh: '认定为虚假技术合同', en: 'Confirm false' },
};

export const OBJECTION_OUTCOMES: Names = {
  upheld: { zh: '异议成立，重新审核', en: 'Upheld: reviewed again' },
  dismissed: { zh: '异议不成立，维持原决定', en: 'Dismissed: the decision stands' },
};

export const TERMINATION_STATUSES: Names = {
  proposed: { zh: '待对方确认', en: 'Awaiting the other party' },
  agreed: { zh: '双方协商一致，待注销登记', en: 'Agreed, cancellation applied for' },
  declined: { zh: '对方不同意', en: 'Declined' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

export const QUEUE_FLAGS: Names = {
  overdue: { zh: '已超期', en: 'Overdue' },
  due_soon: { zh: '即将到期', en: 'Due soon' },
  objection: { zh: '异议待处理', en: 'Objection' },
};

export const RISK_RULES: Names = {
  related_parties: { zh: '关联交易', en: 'Related parties' },
  round_trip: { zh: '循环交易', en: 'Round trip' },
  price_anomaly: { zh: '价格异常', en: 'Price anomaly' },
  non_technology: { zh: '非技术合同嫌疑', en: 'Not technology' },
  amount_splitting: { zh: '拆分合同', en: 'Amount splitting' },
  double_sale: { zh: '重复转让或许可', en: 'Double sale' },
  ip_not_in_force: { zh: '知识产权已失效', en: 'IP not in force' },
  year_end_surge: { zh: '年末集中签约', en: 'Year-end surge' },
  poor_credit: { zh: '信用不良', en: 'Poor credit' },
};

/** A finding's evidence row kinds. */
export const EVIDENCE_KINDS: Names = {
  contract: { zh: '合同', en: 'Contract' },
  relation: { zh: '关联关系', en: 'Relation' },
  price: { zh: '价格统计', en: 'Price statistics' },
  comparable: { zh: '可比合同', en: 'Comparable' },
  item: { zh: '非技术性款项', en: 'Non-technical item' },
  subject: { zh: '标的用语', en: 'Subject terms' },
  ip: { zh: '知识产权', en: 'IP item' },
  pace: { zh: '签约节奏', en: 'Pace' },
  rating: { zh: '信用评级', en: 'Credit rating' },
};
