// Choosing a working day and a slot with places left at a centre's window: the booking page and moving a
// booking to another slot (the ticket page) ask the same two questions. The days are the catalog's
// `bookingDays` (the server's calendar: weekends and public holidays are never offered); the places come
// from GET /slots for the day chosen.

import { call } from '../api/client.ts';
import type { Catalog } from '../api/types.ts';
import { businessDate } from '../format.ts';
import { t } from '../i18n.ts';
import { useLoad, type Load } from '../use-load.ts';
import { Loading } from './page.tsx';
import { ProblemMessage } from './problem.tsx';

/** The next ten working days: what residents choose from (the API books up to 30 days ahead). */
const DAYS_OFFERED = 10;

export function useSlots(centre: string | undefined, category: string | undefined, date: string | undefined) {
  return useLoad(() => (centre && category && date ? call('GET /slots', { query: { centre, category, date } }) : Promise.resolve(undefined)), [centre, category, date]);
}

type Props = {
  catalog: Catalog;
  date: string | undefined;
  time: string | undefined;
  slots: Load<Awaited<ReturnType<typeof useSlots>['data']>>;
  onDate: (date: string) => void;
  onTime: (time: string) => void;
};

export function DayAndSlot({ catalog, date, time, slots, onDate, onTime }: Props) {
  return (
    <>
      <fieldset>
        <legend>{t('book.day')}</legend>
        <div class="radios">
          {catalog.bookingDays.slice(0, DAYS_OFFERED).map((day) => (
            <label key={day} class="radio">
              <input type="radio" name="date" value={day} checked={date === day} onChange={() => onDate(day)} />
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
                <input type="radio" name="time" value={slot.time} disabled={slot.available === 0} checked={time === slot.time} onChange={() => onTime(slot.time)} />
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
