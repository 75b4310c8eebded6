package io.tributary.definition;

import io.tributary.definition.read.Problem;
import java.util.List;
import java.util.Optional;

/** A definition that was read, or the problems that kept it from being read. */
public record DefinitionResult(Optional<PipelineDefinition> definition, List<Problem> problems) {

    public static DefinitionResult ok(PipelineDefinition definition) {
        return new DefinitionResult(Optional.of(definition), List.of());
    }

    public static DefinitionResult failed(List<Problem> problems) {
        return new DefinitionResult(Optional.empty(), problems);
    }
}
