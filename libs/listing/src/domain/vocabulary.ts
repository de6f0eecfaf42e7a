/** The ten technical fields of the provincial achievement packages (seed policy, 重点产业领域). */
export enum TechnicalField {
  HighEndEquipment = 'high_end_equipment',
  NewMaterials = 'new_materials',
  NextGenIT = 'next_gen_it',
  NewEnergy = 'new_energy',
  ModernAgriculture = 'modern_agriculture',
  PopulationHealth = 'population_health',
  ResourcesEnvironment = 'resources_environment',
  CulturalCreative = 'cultural_creative',
  PublicSafety = 'public_safety',
  ModernServices = 'modern_services',
}

export const TECHNICAL_FIELD_LABELS: Record<TechnicalField, string> = {
  [TechnicalField.HighEndEquipment]: '高端装备制造',
  [TechnicalField.NewMaterials]: '新材料',
  [TechnicalField.NextGenIT]: '新一代信息技术',
  [TechnicalField.NewEnergy]: '新能源',
  [TechnicalField.ModernAgriculture]: '现代农业',
  [TechnicalField.PopulationHealth]: '人口健康',
  [TechnicalField.ResourcesEnvironment]: '资源与环保',
  [TechnicalField.CulturalCreative]: '文化创意',
  [TechnicalField.PublicSafety]: '公共安全与应急',
  [TechnicalField.ModernServices]: '现代服务业',
};

export enum Maturity {
  Lab = 'lab',
  /** 小试 */
  SmallPilot = 'small_pilot',
  /** 中试 */
  Pilot = 'pilot',
  Industrialized = 'industrialized',
}

export enum TransferMode {
  Assignment = 'assignment',
  ExclusiveLicense = 'exclusive_license',
  SoleLicense = 'sole_license',
  NonExclusiveLicense = 'non_exclusive_license',
  /** 作价投资 */
  Equity = 'equity',
  CoDevelopment = 'co_development',
}

export enum PricingMode {
  /** 协议定价 */
  Negotiated = 'negotiated',
  /** 挂牌 */
  Listed = 'listed',
  /** 拍卖 */
  Auction = 'auction',
}
