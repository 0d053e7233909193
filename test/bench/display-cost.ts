// The monthly AWS bill of the hall screens, from what the bench measured (read units and bytes of one poll)
// and us-east-1 list prices: 100 centres × 2 screens polling every 3 s while the hall is open (≈ 9 h on 22
// working days) and every 5 minutes while it is closed, answered by the display function's URL (README,
// "The hall display"). The goal is under $20 a month.

const SCREENS = 100 * 2;
const POLLS_OPEN = SCREENS * ((9 * 3600) / 3) * 22;
const POLLS_CLOSED = SCREENS * 12 * (24 * 30 - 9 * 22);
export const DISPLAY_POLLS_A_MONTH = POLLS_OPEN + POLLS_CLOSED;

const USD = {
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  dynamoReadUnit: 0.125 / 1e6,
  dataOutGb: 0.09,
};
/** What a poll bills for at 512 MB, arm64: Lambda rounds up to the millisecond; a warm GetItem and view take ≈ 5. */
const BILLED_SECONDS = 0.005;
const MEMORY_GB = 0.5;
/** AWS's always-free data out to the internet, per month and account. */
const FREE_DATA_OUT_GB = 100;

export function displayMonthlyUsd(poll: { readUnits: number; answerBytes: number }) {
  const dataOutGb = (DISPLAY_POLLS_A_MONTH * poll.answerBytes) / 1e9;
  const items = {
    lambdaRequests: DISPLAY_POLLS_A_MONTH * USD.lambdaRequest,
    lambdaDuration: DISPLAY_POLLS_A_MONTH * BILLED_SECONDS * MEMORY_GB * USD.lambdaGbSecondArm,
    tableReads: DISPLAY_POLLS_A_MONTH * poll.readUnits * USD.dynamoReadUnit,
    dataOut: Math.max(0, dataOutGb - FREE_DATA_OUT_GB) * USD.dataOutGb,
  };
  const total = Object.values(items).reduce((sum, usd) => sum + usd, 0);
  return { total: Math.round(total * 100) / 100, dataOutGb: Math.round(dataOutGb), items };
}
