package io.tributary.table;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.output.TableOutput;
import io.tributary.run.RunId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Vacuums the table of every pipeline in the catalog whose output is a table, each with its definition's retention.
 * One table's failure is that table's: the others are vacuumed all the same.
 */
public final class CatalogVacuum {

    private final Supplier<PipelineCatalog> catalog;
    private final RunTables tables;
    private final Predicate<RunId> runEnded;
    private final Clock clock;

    /** @param runEnded whether a run has ended (committed or failed); see {@link TableVacuum} */
    public CatalogVacuum(Supplier<PipelineCatalog> catalog, RunTables tables, Predicate<RunId> runEnded, Clock clock) {
        this.catalog = catalog;
        this.tables = tables;
        this.runEnded = runEnded;
        this.clock = clock;
    }

    /**
     * How one pipeline's vacuum went.
     *
     * @param vacuumed what it deleted; empty when it failed
     * @param error    why it failed; null when it did not
     */
    public record Outcome(String pipeline, Optional<TableVacuum.Vacuumed> vacuumed, String error) {
    }

    /** Vacuums each table; says how each went, in the catalog's order. */
    public List<Outcome> vacuumAll() {
        List<Outcome> outcomes = new ArrayList<>();
        for (PipelineDefinition pipeline : catalog.get().all()) {
            Optional<TableOutput> table = pipeline.output().tableOutput();
            if (table.isEmpty()) {
                continue;
            }
            try {
                TableVacuum vacuum = new TableVacuum(tables.log(pipeline.name()), runEnded, clock);
                outcomes.add(new Outcome(pipeline.name(), Optional.of(vacuum.vacuum(table.get().retention(), false)),
                        null));
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(pipeline.name(), Optional.empty(), e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return outcomes;
    }
}
