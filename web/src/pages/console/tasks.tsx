import type { Session } from '../../session.ts';

/** The console's tasks section (issue 15): built next. */
export const TasksSection = ({ session }: { session: Session }) => (
  <section class="card" aria-labelledby="section-heading" data-assessment={session.assessmentId}>
    <h2 id="section-heading">วิเคราะห์ผลและงานปรับปรุง</h2>
  </section>
);
