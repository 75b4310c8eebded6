package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.tributary.table.CatalogVacuum;
import io.tributary.table.TableVacuum;

/**
 * Daily at 03:30 UTC, vacuums the Delta table of every pipeline whose output is one: deletes the data files that only
 * versions replaced longer than the pipeline's {@code output.table.retention} ago read (see {@code TableVacuum}). A
 * table that fails is logged; the others are vacuumed all the same.
 */
public class TableVacuumFunction {

    private final CatalogVacuum vacuum;

    TableVacuumFunction(CatalogVacuum vacuum) {
        this.vacuum = vacuum;
    }

    @FunctionName("tableVacuum")
    public void run(
            @TimerTrigger(name = "timer", schedule = "0 30 3 * * *") String timerInfo,
            ExecutionContext context) {
        for (CatalogVacuum.Outcome outcome : vacuum.vacuumAll()) {
            if (outcome.vacuumed().isPresent()) {
                TableVacuum.Vacuumed done = outcome.vacuumed().get();
                context.getLogger().info("table " + done.table() + ": vacuum deleted " + done.deleted().size()
                        + " files, " + done.bytes() + " bytes (" + done.count(TableVacuum.Reason.REMOVED)
                        + " removed before " + done.cutoff() + ", " + done.count(TableVacuum.Reason.UNCOMMITTED)
                        + " never committed); kept " + done.kept() + " files no version reads yet");
            } else {
                context.getLogger().warning("the table of pipeline " + outcome.pipeline() + " was not vacuumed: "
                        + outcome.error());
            }
        }
    }
}
