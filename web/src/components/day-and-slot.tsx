// Choosing a working day and a slot with places left at a centre's window: the booking page and moving a
// booking to another slot (the ticket page) ask the same two questions. The days are the catalog's
// `bookingDays` (the server's calendar: weekends and public holidays are never offered); the places come
// from GET /slots for the day chosen.

import { useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { Catalog } from '../api/types.ts';
import { businessDate } from '../format.ts';
import { t } from '../i18n.ts';
import { useLoad } from '../use-load.ts';
import { Loading } from './page.tsx';
import { ProblemMessage } from './problem.tsx';

/** The next ten working days: what residents choose from (the API books up to 30 days ahead). */
const DAYS_OFFERED = 10;

/** The day and slot chosen, and the places of that day; a new day (or window) forgets the slot chosen. */
export function useDayAndSlot(centre: string | undefined, category: string | undefined) {
  const [date, setDate] = useState<string>();
  const [time, setTime] = useState<string>();
  const slots = useLoad(() => (centre && category && date ? call('GET /slots', { query: { centre, category, date } }) : Promise.resolve(undefined)), [centre, category, date]);
  const chooseDay = (day: string) => {
    setDate(day);
    setTime(undefined);
  };
  return { date, time, slots, chooseDay, chooseTime: setTime, forgetTime: () => setTime(undefined) };
}

type Props = { catalog: Catalog; choice: ReturnType<typeof useDayAndSlot> };

export function DayAndSlot({ catalog, choice: { date, time, slots, chooseDay, chooseTime } }: Props) {  return (
    <>
      <fieldset>
        <legend>{t('book.day')}</legend>
        <div class="radios">
          {catalog.bookingDays.slice(0, DAYS_OFFERED).map((day) => (
            <label key={day} class="radio">
              <input type="radio" name="date" value={day} checked={date === day} onChange={() => chooseDay(day)} />
              <span>{businessDate(day)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {date && (
        <fieldset>
          <legend>{t('book.slot')}</legend>
          {slots.loading && <Loading />}
          <ProblemMessage error={slots.error} />
          {slots.data?.length === 0 && <p>{t('book.noSlots')}</p>}
          <div class="radios">
            {slots.data?.map((slot) => (
              <label key={slot.time} class={slot.available === 0 ? 'radio radio-full' : 'radio'}>
                <input type="radio" name="time" value={slot.time} disabled={slot.available === 0} checked={time === slot.time} onChange={() => chooseTime(slot.time)} />
                <span>
                  {slot.time} {slot.available === 0 ? t('book.full') : t('book.placesLeft', { count: slot.available })}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
    </>
  );
}
