// The service catalog: the six comprehensive service categories (综合服务窗口) and the matters (事项) residents
// can declare, with their required materials, approval chain, SLA and automatic-review rule. Data in code,
// because the workflow, the review rules and the API all depend on it and must change together.

import { publicCentres } from './centres.ts';

export const APPROVAL_ROLES = ['caseworker', 'supervisor'] as const;
export type ApprovalRole = (typeof APPROVAL_ROLES)[number];

export type Category = {
  code: string;
  name: { zh: string; en: string };
  /** Prefix of the day's ticket numbers at this window, e.g. S-007. */
  ticketLetter: string;
};

export type AutoReviewRule = 'all-materials-present' | 'retirement-age';

export type Matter = {
  code: string;
  name: { zh: string; en: string };
  category: string;
  materials: { code: string; name: { zh: string; en: string } }[];
  approvalChain: ApprovalRole[];
  slaWorkingDays: number;
  needsVisit: boolean;
  /**
   * Only a verified profile (real-name check or counter) may declare it: the matter pays money or changes a
   * legal status, so it must not be declared under somebody else's ID number (README "Identity").
   */
  needsVerifiedProfile: boolean;
  autoReview: AutoReviewRule;
};

export const CATEGORIES: Category[] = [
  { code: 'social-insurance', name: { zh: '社会保险', en: 'Social insurance' }, ticketLetter: 'S' },
  { code: 'medical-insurance', name: { zh: '医疗保障', en: 'Medical insurance' }, ticketLetter: 'M' },
  { code: 'social-assistance', name: { zh: '社会救助', en: 'Social assistance' }, ticketLetter: 'A' },
  { code: 'family-health', name: { zh: '卫生健康与计生', en: 'Family & health' }, ticketLetter: 'F' },
  { code: 'employment', name: { zh: '就业服务', en: 'Employment' }, ticketLetter: 'E' },
  { code: 'housing-civil', name: { zh: '住房与民政', en: 'Housing & civil affairs' }, ticketLetter: 'H' },
];

const MATERIAL_NAMES: Record<string, { zh: string; en: string }> = {
  'id-card': { zh: '居民身份证', en: 'Resident ID card' },
  'labor-contract': { zh: '劳动合同', en: 'Labour contract' },
  'wage-statement': { zh: '工资流水', en: 'Wage statement' },
  'personnel-file': { zh: '人事档案', en: 'Personnel file' },
  'marriage-certificate': { zh: '结婚证', en: 'Marriage certificate' },
  'household-register': { zh: '户口簿', en: 'Household register' },
  'income-proof': { zh: '家庭收入证明', en: 'Household income proof' },
  invoice: { zh: '医疗费用发票', en: 'Medical invoice' },
  'termination-proof': { zh: '解除劳动合同证明', en: 'Proof of contract termination' },
  'residence-permit': { zh: '居住证', en: 'Residence permit' },
  'withdrawal-proof': { zh: '提取证明（购房合同、租房合同或还贷凭证）', en: 'Proof of the withdrawal reason (purchase, lease or loan)' },
  'bank-card': { zh: '本人银行卡', en: "The applicant's own bank card" },
};

const materials = (...codes: string[]) => codes.map((code) => ({ code, name: MATERIAL_NAMES[code]! }));

export const MATTERS: Matter[] = [
  {
    code: 'social-insurance-backpay',
    name: { zh: '社保补缴', en: 'Social insurance back-payment' },
    category: 'social-insurance',
    materials: materials('id-card', 'labor-contract', 'wage-statement'),
    approvalChain: ['caseworker'],
    slaWorkingDays: 3,
    needsVisit: false,
    needsVerifiedProfile: true,
    autoReview: 'all-materials-present',
  },
  {
    code: 'retirement',
    name: { zh: '退休申请', en: 'Retirement application' },
    category: 'social-insurance',
    materials: materials('id-card', 'personnel-file'),
    approvalChain: ['caseworker', 'supervisor'],
    slaWorkingDays: 10,
    needsVisit: true,
    needsVerifiedProfile: true,
    autoReview: 'retirement-age',
  },
  {
    code: 'birth-permit',
    name: { zh: '生育服务登记', en: 'Birth service registration' },
    category: 'family-health',
    materials: materials('id-card', 'marriage-certificate', 'household-register'),
    approvalChain: ['caseworker'],
    slaWorkingDays: 3,
    needsVisit: false,
    needsVerifiedProfile: true,
    autoReview: 'all-materials-present',
  },
  {
    code: 'minimum-living-allowance',
    name: { zh: '低保申请', en: 'Minimum living allowance' },
    category: 'social-assistance',
    materials: materials('id-card', 'household-register', 'income-proof'),
    approvalChain: ['caseworker', 'supervisor'],
    slaWorkingDays: 20,
    needsVisit: true,
    needsVerifiedProfile: true,
    autoReview: 'all-materials-present',
  },
  {
    code: 'medical-reimbursement',
    name: { zh: '医保报销', en: 'Medical expense reimbursement' },
    category: 'medical-insurance',
    materials: materials('id-card', 'invoice'),
    approvalChain: ['caseworker'],
    slaWorkingDays: 5,
    needsVisit: false,
    needsVerifiedProfile: true,
    autoReview: 'all-materials-present',
  },
  {
    code: 'unemployment-registration',
    name: { zh: '失业登记', en: 'Unemployment registration' },
    category: 'employment',
    materials: materials('id-card', 'termination-proof'),
    approvalChain: ['caseworker'],
    slaWorkingDays: 1,
    needsVisit: false,
    needsVerifiedProfile: true,
    autoReview: 'all-materials-present',
  },
  {
    // Money leaves the resident's fund account: a caseworker checks the reason, the section head signs.
    code: 'housing-fund-withdrawal',
    name: { zh: '住房公积金提取', en: 'Housing provident fund withdrawal' },
    category: 'housing-civil',
    materials: materials('id-card', 'withdrawal-proof', 'bank-card'),
    approvalChain: ['caseworker', 'supervisor'],
    slaWorkingDays: 5,
    needsVisit: false,
    needsVerifiedProfile: true,
    autoReview: 'all-materials-present',
  },
  {
    code: 'residence-certificate',
    name: { zh: '居住证明开具', en: 'Certificate of residence' },
    category: 'housing-civil',
    materials: materials('id-card', 'household-register'),
    approvalChain: ['caseworker'],
    slaWorkingDays: 2,
    needsVisit: false,
    needsVerifiedProfile: false,
    autoReview: 'all-materials-present',
  },
];

export const CATEGORY_CODES = CATEGORIES.map((c) => c.code) as [string, ...string[]];
export const MATTER_CODES = MATTERS.map((m) => m.code) as [string, ...string[]];

export const findCategory = (code: string) => CATEGORIES.find((c) => c.code === code);

/** The catalog's category codes among `codes`, each once: what a claim of categories can mean at most. */
export const knownCategoryCodes = (codes: readonly string[]) => CATEGORY_CODES.filter((code) => codes.includes(code));
export const findMatter = (code: string) => MATTERS.find((m) => m.code === code);

/** The public view of the catalog (GET /catalog): the review rule is internal. */
export function publicCatalog() {
  return {
    categories: CATEGORIES.map(({ code, name }) => ({ code, name })),
    matters: MATTERS.map(({ autoReview: _rule, ...matter }) => matter),
    centres: publicCentres(),
  };
}
