import type { Session } from '../../session.ts';

/** The console's notifications section (issue 15): built next. */
export const NotificationsSection = ({ session }: { session: Session }) => (
  <section class="card" aria-labelledby="section-heading" data-assessment={session.assessmentId}>
    <h2 id="section-heading">การแจ้งเตือน</h2>
  </section>
);
