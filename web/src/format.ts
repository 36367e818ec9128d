import { formatThaiDate, formatThaiDateTime } from '../../shared/domain/thai-date.ts';

/** Dates as people read them here: Buddhist era, Thai months, Bangkok time. */
export const thaiDate = (iso: string) => formatThaiDate(iso, 'abbr');
export const thaiDateTime = (instant: string) => formatThaiDateTime(instant, 'abbr');
