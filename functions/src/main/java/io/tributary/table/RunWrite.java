package io.tributary.table;

import io.tributary.definition.output.TableOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's rows, already written as data files in the table's folder, added to the table ({@code append}) or put in
 * place of all its rows ({@code overwrite}).
 */
public final class RunWrite implements TableCommits.Change {

    private final TableShape shape;
    private final RunInfo run;
    private final List<TableFile> files;
    private final long now;

    /**
     * @param files the run's data files, relative to the table's folder
     * @param now   ms since the epoch: the files' modification time and a removal's time
     */
    public RunWrite(TableShape shape, RunInfo run, List<TableFile> files, long now) {
        if (shape.table().mode() == TableOutput.Mode.MERGE) {
            throw new IllegalArgumentException("a merge is planned by TableMerge");
        }
        this.shape = shape;
        this.run = run;
        this.files = List.copyOf(files);
        this.now = now;
    }

    @Override
    public List<Action> plan(Optional<Snapshot> current) {
        boolean overwrite = shape.table().mode() == TableOutput.Mode.OVERWRITE;
        List<Action> actions = new ArrayList<>(Shapes.change(shape, current, overwrite, now));
        if (overwrite && current.isPresent()) {
            Shapes.newerRun(current.get(), run).ifPresent(newer -> {
                throw new TableConflictException("run " + newer + ", which started after this run, already replaced "
                        + "the table's rows; this run's older rows would overwrite them, so it commits nothing");
            });
            current.get().files().values().forEach(f -> actions.add(Action.of(Shapes.remove(f, now))));
        }
        for (TableFile file : files) {
            actions.add(Action.of(file.add(shape.partitionColumns(), now)));
        }
        return actions;
    }

    @Override
    public Map<String, Object> commitInfo(List<Action> planned) {
        boolean overwrite = shape.table().mode() == TableOutput.Mode.OVERWRITE;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("operation", "WRITE");
        info.put("operationParameters", Map.of("mode", overwrite ? "Overwrite" : "Append",
                "partitionBy", LogJson.text(shape.partitionColumns())));
        info.put("operationMetrics", Shapes.metrics(planned));
        info.put("isBlindAppend", !overwrite);
        info.putAll(run.commitInfo());
        return info;
    }
}
