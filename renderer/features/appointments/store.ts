/** What the appointment screens remember while the seat moves around: the day shown in the day view. */
import dayjs from 'dayjs';
import { create } from 'zustand';

interface AppointmentsView {
  date: string;
  setDate(date: string): void;
}

export const useAppointmentsView = create<AppointmentsView>((set) => ({
  date: dayjs().format('YYYY-MM-DD'),
  setDate: (date) => set({ date }),
}));
