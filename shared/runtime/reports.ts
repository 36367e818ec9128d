import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { tableDeps } from './table.ts';

/**
 * The table operations of the report use cases (`ReportsDeps`: the CSV exports and the calendar
 * feeds), bound on first call. Both report Lambdas read the same ones, so they are named once.
 */
export const reportsDeps = tableDeps({
  assessments: {
    getOverview: assessmentTable.getOverview,
    getWithPlan: assessmentTable.getWithPlan,
    listTasks: assessmentTable.listTasks,
  },
  agencies: { getSummary: agencyTable.getSummary },
});
