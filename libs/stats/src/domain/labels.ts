/**
 * What the figures are keyed by, in words people read (the national statistics' categories, JJ-001).
 * Keys are the market's vocabulary; a key without a label (a county code nobody named) shows as itself.
 */
export const CONTRACT_TYPE_LABELS: Record<string, string> = {
  development: '技术开发',
  transfer: '技术转让',
  license: '技术许可',
  consulting: '技术咨询',
  service: '技术服务',
};

export const TECHNICAL_FIELD_LABELS: Record<string, string> = {
  high_end_equipment: '高端装备制造',
  new_materials: '新材料',
  next_gen_it: '新一代信息技术',
  new_energy: '新能源',
  modern_agriculture: '现代农业',
  population_health: '人口健康',
  resources_environment: '资源与环保',
  cultural_creative: '文化创意',
  public_safety: '公共安全与应急',
  modern_services: '现代服务业',
  unspecified: '未填写',
};

/** JJ-001 party kinds (卖方/买方类型). */
export const PARTY_KIND_LABELS: Record<string, string> = {
  enterprise: '企业',
  university: '高等院校',
  research_institute: '科研机构',
  other_public_institution: '其他事业单位',
  individual: '个人',
  other: '其他',
};

/** JJ-001 IP kinds (知识产权类别); `none`: a contract without IP items (a service, a consultancy). */
export const IP_KIND_LABELS: Record<string, string> = {
  invention_patent: '发明专利',
  utility_model: '实用新型专利',
  design: '外观设计专利',
  software_copyright: '计算机软件著作权',
  know_how: '技术秘密',
  plant_variety: '植物新品种',
  ic_layout: '集成电路布图设计',
  none: '未涉及知识产权',
};

/** Provinces (GB/T 2260, first two digits). */
const PROVINCES: Record<string, string> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
};

/** Hunan's prefectures and the districts and counties the market's demo and tests use; others show their code. */
const HUNAN: Record<string, string> = {
  '430100': '长沙市',
  '430102': '芙蓉区',
  '430103': '天心区',
  '430104': '岳麓区',
  '430105': '开福区',
  '430111': '雨花区',
  '430112': '望城区',
  '430121': '长沙县',
  '430181': '浏阳市',
  '430182': '宁乡市',
  '430200': '株洲市',
  '430211': '天元区',
  '430300': '湘潭市',
  '430302': '雨湖区',
  '430400': '衡阳市',
  '430405': '珠晖区',
  '430500': '邵阳市',
  '430600': '岳阳市',
  '430602': '岳阳楼区',
  '430700': '常德市',
  '430702': '武陵区',
  '430800': '张家界市',
  '430900': '益阳市',
  '431000': '郴州市',
  '431100': '永州市',
  '431200': '怀化市',
  '431300': '娄底市',
  '433100': '湘西土家族苗族自治州',
};

/** A region's name: known names first, then `names` (demonstration counties as designated), else the code. */
export function regionLabel(code: string, names: ReadonlyMap<string, string> = new Map()): string {
  if (code.endsWith('0000')) return PROVINCES[code.slice(0, 2)] ?? code;
  return HUNAN[code] ?? names.get(code) ?? code;
}
