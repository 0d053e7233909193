// Residents' records in the government systems (人社 social insurance, 医保 medical insurance, 住房公积金 housing
// fund), pure: what each record holds as the platform shows it, and the matter that settles what a record says
// is owed. The records themselves stay in those systems: the platform reads them through the RecordsProvider
// port for one request and keeps them only in a short in-memory cache (functions/records/lib/read-record.ts).

export const RECORD_KINDS = ['social-insurance', 'medical-insurance', 'housing-fund'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Amounts are in fen (integers add up exactly), months YYYY-MM, dates YYYY-MM-DD. */
export type SocialInsuranceRecord = {
  kind: 'social-insurance';
  /** Months contributed in all (累计缴费月数). */
  contributionMonths: number;
  /** The current contribution base (缴费基数), per month. */
  monthlyBase: number;
  /** The employer paying now; null while nobody does (flexible employment, unemployed). */
  employer: string | null;
  /** The last months, newest first. */
  recentMonths: { month: string; base: number; employer: string | null; paid: boolean }[];
  /** Months owed (欠缴), oldest first. */
  arrears: { month: string; amount: number }[];
};

export type MedicalInsuranceRecord = {
  kind: 'medical-insurance';
  /** The personal account's balance (个人账户余额). */
  balance: number;
  /** The last claims settled, newest first. */
  recentClaims: { date: string; hospital: string; total: number; reimbursed: number }[];
};

export type HousingFundRecord = {
  kind: 'housing-fund';
  balance: number;
  /** What goes in each month, employer and employee shares together (月缴存额). */
  monthlyDeposit: number;
  /** Withdrawals, newest first. */
  withdrawals: { date: string; amount: number; reason: string }[];
};

export type ResidentRecord = SocialInsuranceRecord | MedicalInsuranceRecord | HousingFundRecord;

/** The matter that settles a record's arrears, with what the declaration is prefilled with; none without arrears. */
export type Settlement = { matter: string; prefill: { months: string[] } };

export const BACKPAY_MATTER = 'social-insurance-backpay';

export function settlementOf(record: ResidentRecord): Settlement | null {
  if (record.kind !== 'social-insurance' || record.arrears.length === 0) return null;
  return { matter: BACKPAY_MATTER, prefill: { months: record.arrears.map((a) => a.month) } };
}

/** GET /me/records/{kind} and the counter's GET /records/{kind}: the record, its settlement, and when it was read. */
export type RecordAnswer = ResidentRecord & { settle: Settlement | null; fetchedAt: string };

/** The note a back-payment declaration carries for the months it settles (how the web uses the prefill). */
export const backpayNote = (months: readonly string[]) => `补缴月份：${months.join('、')}`;
